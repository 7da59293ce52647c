@seeded
Feature: Matching and adding records in the Network Zone
  As a cataloguer at Riverside College, a member of the Three Rivers Library Consortium
  I want real-time orders matched against the consortium's Network Zone, and new records added to it
  So that the consortium keeps one shared record per title

  Source: seeds/001_458f83e2450e705c.txt — "Setting Up New Order Integration Profile": step 1 "Use network zone"
  (for Collaborative Networks); step 2 "Upon no match: Import — import the records to local institution; Add to
  Network Zone (Network Zone only)". Matching searches the Network Zone only when the profile uses it, and
  never the Community Zone.

  Riverside College's profiles all use the Network Zone: "GOBI orders into the Network Zone" adds unmatched
  titles to the Network Zone; "OASIS orders, matched in the Network Zone" imports them into the institution.

  Background:
    Given Riverside College is set up for real-time ordering

  Rule: A profile that uses the Network Zone matches the consortium's records

    Scenario Outline: A title the consortium already catalogued is attached to the shared record
      Given the librarian has the print book "Comparative Constitutional Design" in the <vendor> cart for 60.00 USD on "GEN-BOOKS"
      When the librarian checks out the <vendor> cart
      Then the PO line is attached to the Network Zone record "Comparative Constitutional Design"

      @gobi
      Examples: GOBI
        | vendor |
        | GOBI   |

      @oasis
      Examples: Oasis
        | vendor |
        | Oasis  |

  Rule: Upon no match, the profile either adds the brief record to the Network Zone or imports it locally

    @gobi
    Scenario: GOBI's unmatched title becomes a brief record in the Network Zone
      Given the librarian has the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" in the GOBI cart for 38.50 USD on "GEN-BOOKS"
      When the librarian checks out the GOBI cart
      Then Alma creates a brief record "Mapping the Catskills: Surveyors and the State, 1790-1880" in the Network Zone, linked to the institution

    @oasis
    Scenario: Oasis's unmatched title is imported as a brief record of the institution
      Given the librarian has the print book "Quarry Towns of the Hudson Highlands" in the Oasis cart for 42.00 USD on "GEN-BOOKS"
      When the librarian checks out the Oasis cart
      Then Alma creates a brief record "Quarry Towns of the Hudson Highlands" in the Institution Zone

  Rule: Only a profile that uses the Network Zone may add records to it

    Scenario: A profile that adds unmatched records to the Network Zone without using it is refused
      When the librarian saves the integration profile "RVC_JSTOR" with "Upon no match" set to Add to Network Zone and "Use network zone" not ticked
      Then Alma refuses because Add to Network Zone needs a profile that uses the Network Zone
