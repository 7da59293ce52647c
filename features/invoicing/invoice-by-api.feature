@seeded
Feature: A vendor invoices through Alma's API
  As an acquisitions librarian
  I want the vendor's invoice to reach Alma through the API and pay the PO line it names
  So that what the library received is paid from the fund that was holding the money

  Source: shared/reference/after-ordering.md and ORDERING-RULES §7 — an invoice is created with its number,
  date, vendor and total, gets lines that name PO lines, and is processed: a balanced invoice is approved
  (Ready to be paid), each line is spent from its funds and the PO line's encumbrance is released. Source: Ex
  Libris, Invoices API (shared/reference/openapi/acq.json): the invoice number is mandatory (60233) and unique
  for the vendor (60288).

  Decision of the simulator, not documented Alma behaviour: a PO line that is received and fully invoiced
  closes at once; the generic vendor processes its invoice as soon as its lines are added.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: An approved invoice pays the PO line and closes it once everything has arrived

    @generic
    Scenario: Harrassowitz invoices a received print order and Alma closes the PO line
      Given the librarian has ordered the print book "Tidewater Archives: Records of the Colonial Chesapeake" through Harrassowitz
      And the PO line's items have arrived and are received
      When the vendor invoices the PO line through Alma's API
      Then the invoice is Ready to be paid
      And the invoice line pays the PO line
      And the PO line is Closed

    @generic
    Scenario: An invoice for a print order that has not arrived leaves the PO line open
      Given the librarian has ordered the print book "Tidewater Archives: Records of the Colonial Chesapeake" through Harrassowitz
      When the vendor invoices the PO line through Alma's API
      Then the invoice is Ready to be paid
      And the PO line is Sent

  Rule: Alma refuses an invoice it cannot identify, and keeps nothing of it

    @generic
    Scenario: An invoice without a number is refused
      Given the librarian has ordered the print book "Tidewater Archives: Records of the Colonial Chesapeake" through Harrassowitz
      When the vendor sends an invoice without a number
      Then Alma refuses the invoice because the invoice number is missing
      And nothing of the invoice stays in Alma

    @generic
    Scenario: The same invoice number from the same vendor is refused
      Given the librarian has ordered the print book "Tidewater Archives: Records of the Colonial Chesapeake" through Harrassowitz
      And the vendor has invoiced the PO line through Alma's API
      When the vendor sends the same invoice number again
      Then Alma refuses the invoice because the invoice number is not unique
      And nothing of the invoice stays in Alma
