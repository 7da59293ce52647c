Feature: Real-time ordering at $name
  As an acquisitions librarian at $name
  I want the titles I check out in a vendor's cart to arrive in Alma as PO lines
  So that nobody re-keys orders and both sides know the order by its numbers

  Written by `almasim init` as a first example: the sentences are almasim's step library (GLOSSARY.md gives
  every word its meaning). The cart puts the title on the first library and shelving location Alma lists.

  Background:
    Given $name is set up for real-time ordering

  @$tag
  Scenario: A print book checked out in the $vendor cart becomes a Sent PO line
    Given the librarian has the print book "Quarry Towns of the Hudson Highlands" in the $vendor cart for 45.00 $currency on "$fund"
    When the librarian checks out the $vendor cart
    Then Alma answers with a new PO line number
    And the PO line is Sent
    And the $vendor order shows the Alma PO line number
$encumbrance
