@seeded
Feature: Subscribing to journals and placing standing orders
  As a serials librarian
  I want the vendor's subscription and standing orders to arrive in Alma with their renewal terms
  So that each one waits for its renewal instead of closing once the first issue is in

  Source: Ex Libris Knowledge Center, "Renewal Workflow" (Acquisitions > Purchasing > Renewals) — subscriptions
  for print and electronic material carry a renewal date, a renewal cycle and a renewal reminder period; a
  continuous PO line that is received (print) or activated (electronic) waits for renewal ("Waiting for
  Renewal", code RECURRING_RENEWAL). Source: Ex Libris Developer Network, real-time ordering for vendors — the
  renewal date is expected on continuous and standing orders. Source: SUNY OLIS, "What is the process to renew
  continuing resources?" — the renewal date is mandatory on a subscription.

  Decision of the simulator, not documented Alma behaviour: a continuous order sent without its renewal date is
  kept, In Review, with the alert "Renewal date is missing", rather than refused; a person adds the date.
  Decision of the simulator: the renewal cycle codes (1 = every year, 2 = every six months, 3 = every three
  months, 4 = every month, 5 = every two years) are ours; Alma's are not published.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: A subscription arrives with its renewal terms

    @gobi
    Scenario: GOBI subscribes the library to a print journal
      Source: Knowledge Center "Renewal Workflow"; journals are matched on their ISSN (the profile's serial match method).
      Given GOBI prepares an order for the print journal subscription "Journal of Hudson Valley Studies"
      And the subscription is renewed by hand, 120 days from today
      And the renewal reminder comes 30 days before the renewal date
      When the vendor sends the order to Alma
      Then the PO line is Sent
      And the PO line carries the renewal terms the vendor sent
      And the PO line is attached to the existing record "Journal of Hudson Valley Studies"

    @generic
    Scenario: A subscription sent without its renewal date waits In Review
      Source: Developer Network, real-time ordering (renewal date expected); the holding In Review is the simulator's decision.
      Given Harrassowitz prepares an order for the print journal subscription "Journal of Hudson Valley Studies"
      And the order sends no renewal date
      When the vendor sends the order to Alma
      Then the PO line is In Review because the renewal date is missing

  Rule: Once the first issue is in, the subscription waits for renewal

    @gobi
    Scenario: A received print journal waits for renewal instead of closing
      Source: Knowledge Center "Renewal Workflow" — a continuous line that is received is marked Waiting for Renewal.
      Given GOBI prepares an order for the print journal subscription "Journal of Hudson Valley Studies"
      And the vendor sends the order to Alma
      When the PO line's items arrive and are received
      Then the PO line is Waiting for Renewal

    @gobi
    Scenario: An activated e-journal subscription waits for renewal
      Source: Knowledge Center "Renewal Workflow" — a continuous electronic line waits for renewal once its activation is done.
      Given GOBI prepares an order for the e-journal subscription "Hudson River Ecology Online"
      And the subscription renews automatically every year, 200 days from today
      And the vendor sends the order to Alma
      When the PO line's portfolio is activated
      Then the PO line is Waiting for Renewal
      And the renewal date is still the one the vendor sent

  Rule: A standing order is continuous too

    @generic
    Scenario: A standing order for a print series waits for the next volume's renewal
      Source: Knowledge Center "Renewal Workflow" (continuous lines: subscriptions and standing orders).
      Given Harrassowitz prepares an order for the print standing order "Annual Survey of Hudson Valley Archaeology"
      And the vendor sends the order to Alma
      When the PO line's items arrive and are received
      Then the PO line is Waiting for Renewal

    @generic
    Scenario: A standing order without its renewal date waits In Review
      Source: Developer Network, real-time ordering (renewal date expected for standing orders too).
      Given Harrassowitz prepares an order for the print standing order "Annual Survey of Hudson Valley Archaeology"
      And the order sends no renewal date
      When the vendor sends the order to Alma
      Then the PO line is In Review because the renewal date is missing
