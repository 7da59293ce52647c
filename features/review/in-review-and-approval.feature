@seeded
Feature: The In Review task list and approving PO lines
  As an acquisitions librarian
  I want real-time orders that need attention held in the In Review task list, each with its reasons
  So that I can complete and approve them before any money is committed

  Source: seeds/002_217f064eab39675a.txt — "Real-time ordering: General Overview": "The PO line is processed in
  Alma as other PO lines are processed. If an order requires manual review, Alma sends it to the In Review task
  list." Source: Ex Libris, Create PO line API (shared/reference/alma-api.md): a PO line without vendor, vendor
  account, price or fund distribution is still created, but goes to In Review.

  Decision of the simulator, not documented Alma behaviour: a PO line waiting In Review encumbers no fund; its
  fund is encumbered when it is approved. Approving applies all three fund checks as if they were ticked: a PO
  line whose fund cannot cover it stays In Review, whatever the profile says for new orders.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: An incomplete order is created, and held In Review with a reason for each missing part

    @gobi
    Scenario Outline: A cart line without its <missing part> becomes a PO line In Review
      Given the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the GOBI cart
      And the cart line has no <missing part>
      When the librarian checks out the GOBI cart
      Then the PO line is In Review because <reason>
      And the fund "HIST-MONO" still has 5000.00 USD available

      Examples:
        | missing part      | reason                           |
        | vendor account    | the vendor account is missing    |
        | price             | the price is missing             |
        | fund distribution | the fund distribution is missing |

  Rule: The In Review task list shows every PO line In Review, with its reasons

    @oasis
    Scenario: A PO line the vendor asked to have reviewed is on the task list
      Given the librarian has ordered the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" through Oasis, asking for manual review
      When the librarian opens the In Review task list
      Then the task list shows the PO line because the vendor asked for manual review

    @oasis
    Scenario: A complete PO line that was sent is not on the task list
      Given the librarian has ordered the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" through Oasis
      When the librarian opens the In Review task list
      Then the task list does not show the PO line

  Rule: Approving a PO line sends it on and encumbers its fund

    @gobi
    Scenario: Approving a PO line the vendor asked to have reviewed sends it and encumbers the fund
      Given the librarian has ordered the print book "Tidewater Archives: Records of the Colonial Chesapeake" through GOBI, asking for manual review
      When the librarian approves the PO line
      Then the PO line is Sent
      And the fund "HIST-MONO" has 4955.00 USD available

    @gobi
    Scenario: A PO line without a price cannot be approved
      Given the librarian has ordered the print book "Tidewater Archives: Records of the Colonial Chesapeake" through GOBI without a price
      When the librarian approves the PO line
      Then Alma refuses because the price is still missing
      And the PO line is In Review because the price is missing

    @gobi
    Scenario: Once the librarian adds the price, the PO line can be approved
      Given the librarian has ordered the print book "Tidewater Archives: Records of the Colonial Chesapeake" through GOBI without a price
      And the librarian has added the price 45.00 USD to the PO line
      When the librarian approves the PO line
      Then the PO line is Sent
      And the fund "HIST-MONO" has 4955.00 USD available

    @oasis
    Scenario: A PO line whose fund cannot cover it is not approved
      Given "Do not create order in case of" "Fund balance insufficient to cover encumbrance" is not ticked in the Oasis integration profile
      And the fund "ART-MONO" has 40.00 USD available
      And the librarian has ordered the print book "Tidewater Archives: Records of the Colonial Chesapeake" through Oasis for 64.00 USD on "ART-MONO"
      When the librarian approves the PO line
      Then Alma refuses because the fund balance is insufficient to cover the encumbrance
      And the fund "ART-MONO" still has 40.00 USD available
