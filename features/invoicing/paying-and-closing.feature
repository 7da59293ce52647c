@seeded
Feature: Paying an invoice, closing the order and the fund's life
  As an acquisitions librarian
  I want to pay approved invoices, see the orders they complete close, and follow the money in the fund
  So that the fund shows what is still promised and what is spent

  Source: shared/reference/after-ordering.md and ORDERING-RULES §7 — an approved invoice is sent to the ERP and
  paid; a rejection by the ERP needs a note (60268) and sends the invoice back to review; a one-time PO line
  closes when it is received (print) or activated (electronic) and fully invoiced. Source: Ex Libris, Funds
  API (acq.json, GET /acq/funds/{fund_id}/transactions): a fund's encumbrances, disencumbrances and
  expenditures are its transactions.

  Decision of the simulator, not documented Alma behaviour: a rejection reverses what the approval spent and
  holds the money for the PO line again.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: Paying closes the invoice

    @gobi
    Scenario: The library pays an approved EDI invoice
      Given the librarian has ordered the ebook "Coastal Resilience and the Politics of Adaptation" through GOBI
      And the PO line's portfolio has been activated
      And the vendor has sent an EDI invoice for the PO line
      When the library pays the invoice
      Then the invoice is Closed
      And the PO line is Closed

    @generic
    Scenario: The ERP rejects an invoice and says why
      Given the librarian has ordered the print book "Tidewater Archives: Records of the Colonial Chesapeake" through Harrassowitz
      And the vendor has invoiced the PO line through Alma's API
      When the ERP rejects the invoice saying "Bank details do not match"
      Then the invoice is In Review
      And the invoice carries the note "Bank details do not match"

    @generic
    Scenario: A rejection without a reason is refused
      Given the librarian has ordered the print book "Tidewater Archives: Records of the Colonial Chesapeake" through Harrassowitz
      And the vendor has invoiced the PO line through Alma's API
      When the ERP rejects the invoice without saying why
      Then Alma refuses the invoice because a rejection needs a note

  Rule: The money moves from encumbered to spent

    @gobi
    Scenario: An order's money is held, then spent when its invoice is approved
      Given the librarian has ordered the print book "Tidewater Archives: Records of the Colonial Chesapeake" through GOBI for 45.00 USD on "HIST-MONO"
      Then the fund "HIST-MONO" holds 45.00 USD encumbered for the PO line
      When the vendor sends an EDI invoice for the PO line
      Then the fund "HIST-MONO" has spent 45.00 USD on the PO line and holds nothing for it
      And the fund "HIST-MONO" balances agree with its transactions
