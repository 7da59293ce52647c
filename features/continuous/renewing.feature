@seeded
Feature: Renewing subscriptions
  As a serials librarian
  I want subscriptions to come up for renewal on time — by hand when I chose to renew them myself, by
  themselves otherwise
  So that no subscription lapses or renews without anyone deciding it

  Source: Ex Libris Knowledge Center, "Renewal Workflow" and "Processing Renewals" (Acquisitions > Purchasing >
  Renewals) — the PO Line - Renewal job runs every day; a line renewed by hand goes to "Waiting for Manual
  Renewal" (code WAITING_FOR_MANUAL_RENEWAL) once the renewal date minus the renewal reminder period is reached,
  and is listed among the PO lines to renew; a line renewed automatically has its renewal date moved on by one
  renewal cycle; renewals are not sent to the vendor. Source: SUNY OLIS, "What is the process to renew
  continuing resources?" — the renewal date falls before the subscription-to date.

  Decision of the simulator: the nightly jobs run at 02:00 (UTC) each day the simulated clock passes, and on
  demand through the simulator's admin API.
  Decision of the simulator (SUNY practice): a subscription that renews automatically closes once its
  subscription-to date has passed.
  Decision of the simulator: a librarian's renewal without a new date moves the renewal date on by one cycle,
  and only a continuous line waiting for renewal can be renewed.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: A subscription renewed by hand comes up in the renewals task list at its reminder

    @gobi
    Scenario: A subscription comes up for renewal at its reminder, and the librarian renews it
      Source: Knowledge Center "Processing Renewals" (Waiting for Manual Renewal; PO Lines to Renew).
      Given GOBI prepares an order for the print journal subscription "Journal of Hudson Valley Studies"
      And the subscription is renewed by hand, 60 days from today
      And the renewal reminder comes 30 days before the renewal date
      And the vendor sends the order to Alma
      When the PO line's items arrive and are received
      And 29 days pass
      Then the PO line is Waiting for Renewal
      And the PO line is not in the renewals task list
      When one more day passes
      Then the PO line is Waiting for Manual Renewal
      And the PO line is in the renewals task list
      When the librarian renews the subscription
      Then the PO line is Waiting for Renewal
      And the renewal date has moved on by year
      And the PO line is not in the renewals task list

    @gobi
    Scenario: The renewal job, run on demand, reports the subscription it put in the task list
      Source: Knowledge Center "Processing Renewals" (renewals are processed only after the PO Line - Renewal job has run).
      Given GOBI prepares an order for the print journal subscription "Journal of Hudson Valley Studies"
      And the subscription is renewed by hand, 20 days from today
      And the renewal reminder comes 30 days before the renewal date
      And the vendor sends the order to Alma
      When the PO line's items arrive and are received
      And the renewal job runs
      Then the job reports the PO line as waiting for manual renewal
      And the PO line is in the renewals task list

    @gobi
    Scenario: The librarian renews a subscription by editing its renewal date
      Source: Knowledge Center "Processing Renewals" (a line earmarked for manual renewal is renewed by editing its renewal date).
      Given GOBI prepares an order for the print journal subscription "Journal of Hudson Valley Studies"
      And the subscription is renewed by hand, 20 days from today
      And the renewal reminder comes 30 days before the renewal date
      And the vendor sends the order to Alma
      When the PO line's items arrive and are received
      And one more day passes
      Then the PO line is Waiting for Manual Renewal
      When the librarian changes the renewal date to 400 days from today
      Then the PO line is Waiting for Renewal
      And the PO line is not in the renewals task list

    @generic
    Scenario: A subscription that has not arrived yet cannot be renewed
      Source: Knowledge Center "Renewal Workflow" (a line waits for renewal once received or activated); the refusal is the simulator's decision.
      Given Harrassowitz prepares an order for the print journal subscription "Journal of Hudson Valley Studies"
      And the vendor sends the order to Alma
      When the librarian renews the subscription
      Then Alma refuses to renew it

  Rule: An automatic subscription renews by itself and tells no one

    @gobi
    Scenario: An automatic subscription's renewal date moves on by one cycle
      Source: Knowledge Center "Renewal Workflow" (automatic renewal: the renewal date is updated by the renewal cycle; nothing is sent to the vendor).
      Given GOBI prepares an order for the print journal subscription "Journal of Hudson Valley Studies"
      And the subscription renews automatically every six months, 40 days from today
      And the renewal reminder comes 10 days before the renewal date
      And the vendor sends the order to Alma
      When the PO line's items arrive and are received
      And 30 days pass
      Then the PO line is Waiting for Renewal
      And the renewal date has moved on by six months
      And the PO line is not in the renewals task list
      And Alma has sent the vendor nothing about the PO line

    @gobi
    Scenario: An automatic subscription closes once its subscription has ended
      Source: SUNY OLIS, renewing continuing resources (the renewal date falls before the subscription-to date); closing is the simulator's decision.
      Given GOBI prepares an order for the e-journal subscription "Hudson River Ecology Online"
      And the subscription renews automatically every year, 300 days from today
      And the subscription ends 330 days from today
      And the vendor sends the order to Alma
      When the PO line's portfolio is activated
      And 330 days pass
      Then the PO line is Waiting for Renewal
      When one more day passes
      Then the PO line is Closed
