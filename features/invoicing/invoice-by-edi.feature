@seeded
Feature: A vendor invoices by EDI
  As an acquisitions librarian
  I want the invoices GOBI and Oasis drop on our EDI account to load by themselves and find their PO lines
  So that only the invoices that need a person wait for one

  Source: shared/reference/after-ordering.md and ORDERING-RULES §7 — Alma's EDI job loads the vendor's EDIFACT
  INVOIC file; each invoice line is linked to a PO line by the PO line number (RFF+LI), otherwise by the vendor
  reference number (RFF+SLI); a line that matches nothing is loaded unlinked and the invoice waits In Review.
  Source: FLVC's EDI guide — the PO line number is matched case-insensitively.

  Decision of the simulator, not documented Alma behaviour: the file is checked whole before anything loads, so
  a damaged file (or one invoice Alma would refuse) loads nothing; a loaded invoice is processed at once.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: Each invoice line finds its PO line

    @gobi
    Scenario: GOBI's invoice line names the PO line number
      Given the librarian has ordered the ebook "Coastal Resilience and the Politics of Adaptation" through GOBI
      And the PO line's portfolio has been activated
      When the vendor sends an EDI invoice for the PO line
      Then the invoice is Ready to be paid
      And the invoice line pays the PO line
      And the PO line is Closed

    @oasis
    Scenario: Oasis' invoice line names only Oasis' own order number
      Given the librarian has ordered the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" through Oasis
      When the vendor sends an EDI invoice that names only its own order number
      Then the invoice is Ready to be paid
      And the invoice line pays the PO line

    @gobi
    Scenario: An invoice line for a title never ordered through Alma waits for a person
      Given the librarian has ordered the print book "Tidewater Archives: Records of the Colonial Chesapeake" through GOBI
      When the vendor sends an EDI invoice for a title never ordered through Alma
      Then the invoice waits In Review because a line is not linked to a PO line
      And the invoice line is not linked to any PO line

  Rule: A damaged file loads nothing

    @gobi
    Scenario: A file whose message count is wrong is refused whole
      Given the librarian has ordered the print book "Tidewater Archives: Records of the Colonial Chesapeake" through GOBI
      When the vendor sends an EDI file that is damaged in transit
      Then Alma refuses the whole file
      And nothing of the invoice stays in Alma
