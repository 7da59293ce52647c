@seeded
Feature: Management tags on the records real-time orders bring
  As a discovery librarian
  I want every record a real-time order creates tagged for our external catalogue as the vendor's profile says
  So that brief records reach (or stay out of) the external catalogue as we decided

  Source: seeds/001_458f83e2450e705c.txt — "Setting Up New Order Integration Profile", step 2, MANAGEMENT TAGS:
  "Synchronize with External Catalog?" — Publish bibliographic records, Publish holdings only, Don't publish.

  Decision of the simulator, not documented Alma behaviour: the tag is set on every record the order creates
  (brief records, and the institution's link to a Network Zone record); a record the order is matched to keeps
  its own tag.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: A record the order creates carries the profile's management tag

    Scenario Outline: The librarian's choice of "<management tag>" is set on the brief record
      Given "Synchronize with External Catalog?" is "<management tag>" in the <vendor> integration profile
      And the librarian has the ebook "The Printer's Devil: Apprentices and the Early American Press" in the <vendor> cart
      When the librarian checks out the <vendor> cart
      Then the record's management tag is "<management tag>"

      @gobi
      Examples: GOBI
        | vendor | management tag        |
        | GOBI   | Don't publish         |
        | GOBI   | Publish holdings only |

      @oasis
      Examples: Oasis
        | vendor | management tag                |
        | Oasis  | Publish bibliographic records |

      @generic
      Examples: a generic vendor
        | vendor       | management tag        |
        | Harrassowitz | Publish holdings only |

  Rule: A matched record keeps its own management tag

    @generic
    Scenario: A record already catalogued keeps publishing its bibliographic record
      Given the librarian has the print book "Rivers of Empire: Water and Power in the Hudson Valley" in the Harrassowitz cart
      When the librarian checks out the Harrassowitz cart
      Then the PO line is attached to the existing record "Rivers of Empire: Water and Power in the Hudson Valley"
      And the record's management tag is "Publish bibliographic records"
