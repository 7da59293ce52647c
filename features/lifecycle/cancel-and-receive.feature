@seeded
Feature: Cancelling and receiving real-time orders
  As an acquisitions librarian
  I want to cancel a PO line the vendor cannot supply, and receive what arrives
  So that the fund gets its money back and the library knows what is on the shelf

  Source: seeds/002_217f064eab39675a.txt — "Real-time ordering: General Overview": "The PO line is processed in
  Alma as other PO lines are processed." Source: Ex Libris, Cancel PO line and Receive item APIs
  (shared/reference/alma-api.md): cancelling needs a reason from the institution's cancellation reasons and
  releases the encumbrance; a PO line cannot be cancelled twice.

  Source: Ex Libris, "Receive an Existing Item" and "Get PO-Line Items" (acq.json): receiving answers Alma's item
  object, the same one the catalogue (the bibs API) shows for the item; the PO line's item list "includes only
  barcodes and a link" to each item. Decision of the simulator: a listed item is its barcode and link, nothing else.

  Decision of the simulator, not documented Alma behaviour: when every item of a print PO line is received, or
  the portfolio of an ebook PO line is activated, the PO line waits for its invoice.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: Cancelling a PO line releases its encumbrance

    @gobi
    Scenario: A cancelled print order gives the fund its money back
      Given the librarian has ordered the print book "Tidewater Archives: Records of the Colonial Chesapeake" through GOBI for 45.00 USD on "HIST-MONO"
      When the librarian cancels the PO line because "Vendor cannot supply"
      Then the PO line is Cancelled
      And the fund "HIST-MONO" has 5000.00 USD available

    @oasis
    Scenario: A PO line cannot be cancelled without a reason
      Given the librarian has ordered the print book "Tidewater Archives: Records of the Colonial Chesapeake" through Oasis
      When the librarian cancels the PO line without a reason
      Then Alma refuses because a cancellation reason is required
      And nothing changes in Alma

    @generic
    Scenario: A PO line cannot be cancelled twice
      Given the librarian has ordered the print book "Tidewater Archives: Records of the Colonial Chesapeake" through Harrassowitz
      And the librarian has cancelled the PO line because "Ordered in error"
      When the librarian cancels the PO line again because "Duplicate order"
      Then Alma refuses because the PO line is already cancelled

  Rule: Receiving completes a print order; activating the portfolio completes an ebook order

    @oasis
    Scenario: Receiving the only item of a print PO line leaves it waiting for the invoice
      Given the librarian has ordered the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" through Oasis
      When the librarian receives the PO line's item
      Then the item is received
      And the PO line is Waiting for Invoice

    @oasis
    Scenario: Receiving an item answers the item as Alma's item, with its barcode and receiving date
      Given the librarian has ordered the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" through Oasis
      When the librarian receives the PO line's item on "2026-09-03"
      Then Alma answers with the item as the catalogue shows it, received on "2026-09-03"
      And the PO line's items are listed by their barcodes and links only

    @gobi
    Scenario: Activating the portfolio of an ebook PO line makes it available and leaves the line waiting for the invoice
      Given the librarian has ordered the ebook "Coastal Resilience and the Politics of Adaptation" through GOBI
      When the librarian activates the PO line's portfolio
      Then the portfolio is available
      And the PO line is Waiting for Invoice
