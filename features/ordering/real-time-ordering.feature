@seeded
Feature: Real-time ordering from a vendor's cart
  As an acquisitions librarian at Hudson Valley University
  I want the titles I check out in a vendor's cart to arrive in Alma as PO lines
  So that nobody re-keys orders and both sides know the order by its numbers

  Source: seeds/002_217f064eab39675a.txt — Ex Libris Developer Network, "Real-time ordering: General Overview".
  The workflow: the selector fills the vendor's cart, verifies owning library and fund codes, checks out; the
  vendor sends the cart to Alma with the Create PO line API; Alma validates the PO line, matches the title or
  creates a brief record, answers with the new PO line number, and processes the PO line like any other —
  sending it to the In Review task list when it needs manual review. The vendor reference number is kept on the
  Alma PO line; the Alma PO line number is kept in the vendor's order details.

  Decision of the simulator, not documented Alma behaviour: a real-time order is placed at the vendor already,
  so a complete PO line with the acquisition method "Purchase at Vendor System" is packaged into a PO and Sent
  at once; a PO line with any other acquisition method waits in Auto Packaging.
  Decision of the simulator: the fund is encumbered with the net price (price × copies, less the PO line's
  discount, or else the vendor account's), converted into the fund's currency at the institution's own exchange
  rates, when the PO line leaves In Review, not while it waits there; cancelling the PO line releases it.
  Decision of the simulator: a GOBI or Oasis cart checks the owning library and the funds against what Alma reports
  before checkout; a fund Alma does not have is refused because it does not exist, a fund Alma has but does not
  offer for the owning library because the library may not order on it.
  "Nothing changes in Alma" means the institution's whole state is as it was: records, holdings, items,
  portfolios, PO lines and POs, the numbers consumed, funds with their balances and transactions.
  Decision of the simulator: identifiers are shaped like Alma's — PO line numbers POL-…, PO numbers PO-…, MMS IDs
  99…, holdings 22…, items 23…, portfolios 53… and collections 61…, each ending in the institution's four
  digits — and are never reused; a refused order consumes none.
  Decision of the simulator: an order may be free of charge only with a non-purchase acquisition method (gift,
  exchange, depository, legal deposit, technical, approval plan); a real-time purchase marked free of charge is
  refused. A print PO line that names no shelving location gets one copy at the owning library's first location.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: A complete order from the cart becomes a PO line that is processed at once

    Scenario Outline: A print book checked out in the cart becomes a Sent PO line
      Given the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the <vendor> cart
      When the librarian checks out the <vendor> cart
      Then Alma answers with a new PO line number
      And the PO line is Sent
      And the fund "HIST-MONO" has 4955.00 USD available

      @gobi
      Examples: GOBI
        | vendor |
        | GOBI   |

      @oasis
      Examples: Oasis
        | vendor |
        | Oasis  |

      @generic
      Examples: a generic vendor
        | vendor       |
        | Harrassowitz |

  Rule: The vendor reference number and the PO line number are kept on both sides

    Scenario Outline: Alma keeps the vendor's reference number and the vendor keeps the PO line number
      Given the librarian has the ebook "Coastal Resilience and the Politics of Adaptation" in the <vendor> cart
      And the cart line carries the vendor reference number "<reference>"
      When the librarian checks out the <vendor> cart
      Then the PO line keeps the vendor reference number "<reference>"
      And the <vendor> order shows the Alma PO line number

      @gobi
      Examples: GOBI
        | vendor | reference |
        | GOBI   | 88120944  |

      @oasis
      Examples: Oasis
        | vendor | reference   |
        | Oasis  | OA261402815 |

      @generic
      Examples: a generic vendor
        | vendor       | reference       |
        | Harrassowitz | ORD-2026-041388 |

  Rule: Before checkout the selector verifies the owning library and the fund codes

    @gobi
    Scenario: The cart offers only the funds the owning library may order on this fiscal year
      When the librarian looks up the funds the GOBI cart offers for the owning library MAIN
      Then the cart offers "HIST-MONO", "ART-MONO" and "EBOOKS-GEN"
      And the cart does not offer "LAW-MONO", "MUSIC-MONO", "HIST-MONO-FY26" or "HUMANITIES"

    @gobi
    Scenario Outline: The GOBI cart refuses a line on <why> before checkout, and nothing reaches Alma
      Given the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the GOBI cart
      And the cart line is charged to "<fund>"
      When the librarian checks out the GOBI cart
      Then the GOBI cart refuses the line because <reason>
      And nothing changes in Alma

      Examples:
        | fund      | why                                 | reason                                       |
        | LAW-MONO  | a fund only the Law Library may use | the owning library may not order on the fund |
        | GEOG-MONO | a fund Alma does not have           | Alma has no such fund                        |

    @gobi
    Scenario: The GOBI cart refuses a line for an owning library Alma does not have
      Given the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the GOBI cart
      And the cart line is for the owning library GEOLOGY
      When the librarian checks out the GOBI cart
      Then the GOBI cart refuses the line because Alma has no such owning library
      And nothing changes in Alma

  Rule: Alma validates the PO line before it creates anything

    Scenario: A PO line without an owning library is refused and nothing is created
      Given the librarian has the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" in the GOBI cart
      And the cart line has no owning library
      When the librarian checks out the GOBI cart
      Then the order is refused because the owning library is missing
      And nothing changes in Alma

    @oasis
    Scenario: A real-time purchase marked free of charge is refused and nothing is created
      Given the librarian has the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" in the Oasis cart
      And the cart line is marked free of charge
      When the librarian checks out the Oasis cart
      Then the order is refused because a purchase cannot be free of charge
      And nothing changes in Alma

  Rule: Alma matches the title by its standard identifier, or creates a brief record

    Scenario: A title already in the catalogue is attached to its record
      Given the librarian has the print book "Rivers of Empire: Water and Power in the Hudson Valley" in the GOBI cart
      When the librarian checks out the GOBI cart
      Then the PO line is attached to the existing record "Rivers of Empire: Water and Power in the Hudson Valley"
      And Alma notes that the ordered resource already exists in the inventory

    Scenario: A title the catalogue does not hold gets a brief record
      Given the librarian has the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" in the Oasis cart
      When the librarian checks out the Oasis cart
      Then Alma creates a brief record "Mapping the Catskills: Surveyors and the State, 1790-1880" in the Institution Zone

  Rule: An order that asks for manual review goes to the In Review task list

    Scenario Outline: The vendor asks for a PO line to be reviewed before it is sent
      Given the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the <vendor> cart
      And the cart line asks for manual review
      When the librarian checks out the <vendor> cart
      Then the PO line is In Review because the vendor asked for manual review
      And the fund "HIST-MONO" still has 5000.00 USD available

      @gobi
      Examples: GOBI
        | vendor |
        | GOBI   |

      @oasis
      Examples: Oasis
        | vendor |
        | Oasis  |

      @generic
      Examples: a generic vendor
        | vendor       |
        | Harrassowitz |
