@seeded
Feature: Validating the order information against the funds
  As an acquisitions librarian responsible for the budget
  I want Alma to check every real-time order's funds, and either refuse it or hold it for review as I choose
  So that no vendor can commit money the library has not got

  Source: seeds/001_458f83e2450e705c.txt — "Setting Up New Order Integration Profile", step 2, VALIDATION OF ORDER
  INFORMATION: "Do not create order in case of: Order is not fully funded; Invalid fund code; Fund balance
  insufficient to cover encumbrance."

  Decision of the simulator, not documented Alma behaviour: a ticked check refuses the order, the refusal says
  which check failed, and nothing is created — no PO line, no record, no encumbrance. A check that is not ticked
  lets the order through into In Review, with an alert saying what is wrong.
  Decision of the simulator: a fund code is invalid when the fund does not exist, is inactive, is not in the
  current fiscal year, is a summary fund rather than an allocated fund, or is not available for the owning
  library; the refusal or the alert says which. A fund's balance
  covers an order when the net price fits in its available balance plus any over-encumbrance it allows.
  The check and the encumbrance are one step, so two orders at once never overspend a fund.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: Invalid fund code

    GOBI and Oasis check the fund codes against Alma before checkout and never send these lines (see
    "Real-time ordering from a vendor's cart": a fund Alma does not have is refused because it does not exist, a
    fund of another library because the owning library may not order on it); a generic vendor such as
    Harrassowitz passes the fund code on as the selector typed it, and Alma's check decides.

    @generic
    Scenario Outline: With the check ticked, an order on <why> is refused and nothing changes
      Given "Do not create order in case of" "Invalid fund code" is ticked in the Harrassowitz integration profile
      And the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the Harrassowitz cart
      And the cart line is charged to "<fund>"
      When the librarian checks out the Harrassowitz cart
      Then the order is refused because the fund code is invalid: <reason>
      And nothing changes in Alma

      Examples:
        | fund           | why                                 | reason                                           |
        | GEOG-MONO      | a fund Alma does not have           | the fund does not exist                          |
        | MUSIC-MONO     | an inactive fund                    | the fund is inactive                             |
        | HIST-MONO-FY26 | last fiscal year's fund             | the fund is not in the current fiscal year       |
        | HUMANITIES     | a summary fund                      | the fund is a summary fund, not an allocated one |
        | LAW-MONO       | a fund only the Law Library may use | the owning library may not order on the fund     |

    @generic
    Scenario Outline: With the check not ticked, an order on <why> waits In Review
      Given "Do not create order in case of" "Invalid fund code" is not ticked in the Harrassowitz integration profile
      And the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the Harrassowitz cart
      And the cart line is charged to "<fund>"
      When the librarian checks out the Harrassowitz cart
      Then the PO line is In Review because the fund code is invalid: <reason>

      Examples:
        | fund           | why                                 | reason                                           |
        | GEOG-MONO      | a fund Alma does not have           | the fund does not exist                          |
        | MUSIC-MONO     | an inactive fund                    | the fund is inactive                             |
        | HIST-MONO-FY26 | last fiscal year's fund             | the fund is not in the current fiscal year       |
        | HUMANITIES     | a summary fund                      | the fund is a summary fund, not an allocated one |
        | LAW-MONO       | a fund only the Law Library may use | the owning library may not order on the fund     |

  Rule: Order is not fully funded

    @generic
    Scenario: With the check ticked, an order charged for half its price is refused and nothing changes
      Given "Do not create order in case of" "Order is not fully funded" is ticked in the Harrassowitz integration profile
      And the librarian has the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" in the Harrassowitz cart
      And the cart line charges 50% of its price to "HIST-MONO"
      When the librarian checks out the Harrassowitz cart
      Then the order is refused because the order is not fully funded
      And nothing changes in Alma

    @generic
    Scenario: With the check not ticked, an order charged for half its price waits In Review
      Given "Do not create order in case of" "Order is not fully funded" is not ticked in the Harrassowitz integration profile
      And the librarian has the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" in the Harrassowitz cart
      And the cart line charges 50% of its price to "HIST-MONO"
      When the librarian checks out the Harrassowitz cart
      Then the PO line is In Review because the order is not fully funded
      And the fund "HIST-MONO" still has 5000.00 USD available

  Rule: Fund balance insufficient to cover encumbrance

    @gobi
    Scenario: With the check ticked, a title dearer than the fund balance is refused and the fund is untouched
      Given "Do not create order in case of" "Fund balance insufficient to cover encumbrance" is ticked in the GOBI integration profile
      And the fund "ART-MONO" has 40.00 USD available
      And the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the GOBI cart for 64.00 USD on "ART-MONO"
      When the librarian checks out the GOBI cart
      Then the order is refused because the fund balance is insufficient to cover the encumbrance
      And the fund "ART-MONO" still has 40.00 USD available
      And nothing changes in Alma

    @oasis
    Scenario: With the check not ticked, a title dearer than the fund balance waits In Review
      Given "Do not create order in case of" "Fund balance insufficient to cover encumbrance" is not ticked in the Oasis integration profile
      And the fund "ART-MONO" has 40.00 USD available
      And the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the Oasis cart for 64.00 USD on "ART-MONO"
      When the librarian checks out the Oasis cart
      Then the PO line is In Review because the fund balance is insufficient to cover the encumbrance
      And the fund "ART-MONO" still has 40.00 USD available

    @gobi
    Scenario: A fund that may be over-encumbered covers an order within its allowance
      Given "Do not create order in case of" "Fund balance insufficient to cover encumbrance" is ticked in the GOBI integration profile
      And the fund "SCI-EBOOK" has 50.00 USD available
      And the fund "SCI-EBOOK" may be over-encumbered by 10% of its allocation
      And the librarian has the ebook "Soundscapes of the Industrial City" in the GOBI cart for 300.00 USD on "SCI-EBOOK"
      When the librarian checks out the GOBI cart
      Then the PO line is Sent
      And the fund "SCI-EBOOK" has -250.00 USD available

    @gobi
    Scenario: An order beyond a fund's over-encumbrance allowance is refused
      Given "Do not create order in case of" "Fund balance insufficient to cover encumbrance" is ticked in the GOBI integration profile
      And the fund "SCI-EBOOK" has 50.00 USD available
      And the fund "SCI-EBOOK" may be over-encumbered by 10% of its allocation
      And the librarian has the ebook "Soundscapes of the Industrial City" in the GOBI cart for 900.00 USD on "SCI-EBOOK"
      When the librarian checks out the GOBI cart
      Then the order is refused because the fund balance is insufficient to cover the encumbrance
      And the fund "SCI-EBOOK" still has 50.00 USD available
