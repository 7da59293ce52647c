@seeded
Feature: Activating an order for what the library already has
  As an acquisitions librarian
  I want an order for an ebook the library already has, or for an electronic collection, to be activated when I
  confirm its activation
  So that the order finishes like any other and the people waiting for it are told

  Source: shared/ORDERING-RULES.md §3 — an electronic order first looks for a portfolio the institution already
  has for the title on the platform, and that portfolio becomes the PO line's. Source: Ex Libris Knowledge
  Center, "POL for electronic resource not closed although activated and fully invoiced" — a one-time
  electronic PO line closes only once its activation task is Done; a resource already active without a Done
  task leaves the line open until the librarian creates the activation task from the portfolio and marks it
  Done. Source: Knowledge Center, "Activating Electronic Resources and the Activation Task List" — a portfolio
  is activated by a confirmation, an electronic collection through the Activation Wizard; once activation is
  done a one-time line waits for its invoice and a continuous one for renewal. Source: after-ordering.md "Who
  is told" — interested users are told when the activation task is Done.

  Decisions of the simulator, not documented Alma behaviour:
  - the order makes no Done activation task for a portfolio that was available before it: the line waits
    (Sent, and claimed when late) until the librarian activates the portfolio, which is the line's activation
    task Done even though the portfolio was available all along;
  - the librarian activates an electronic collection with the simulator's librarian action (POST
    /almasim/v1/librarian/collections/{collection_id}/activate): the activation task of every line ordering it
    that was not yet Done is Done then; a line ordered later needs the collection activated again.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: An ebook on a portfolio the library already has is activated when the librarian activates that portfolio

    @gobi
    Scenario: An ebook ordered on the library's existing portfolio waits for its activation, then closes with its invoice
      Given the librarian has the ebook "Canal Fever: The Erie Canal and the Empire State, 1817-1862" in the GOBI cart
      And the cart line is for the platform "EBSCOhost"
      And the cart line names the interested user "ada.reyes", to be notified on receipt or activation
      When the librarian checks out the GOBI cart
      Then the PO line's portfolio is the existing portfolio
      And the portfolio is available
      And the PO line is Sent
      And "ada.reyes" is sent no letter about the PO line
      When the librarian activates the PO line's portfolio
      Then the PO line is Waiting for Invoice
      And "ada.reyes" is sent the Interested In Letter about the PO line
      When the vendor sends an EDI invoice for the PO line
      Then the PO line is Closed

  Rule: An electronic collection is activated when the librarian activates the collection

    @gobi
    Scenario: A faculty member is told when the electronic collection ordered for her is activated
      Given GOBI prepares an order for the electronic collection "EBSCOhost Ebooks"
      And the order names the interested user "ada.reyes", to be notified on receipt or activation
      And the vendor sends the order to Alma
      Then the PO line is Sent
      And "ada.reyes" is sent no letter about the PO line
      When the librarian activates the PO line's electronic collection
      Then the PO line is Waiting for Invoice
      And "ada.reyes" is sent the Interested In Letter about the PO line
