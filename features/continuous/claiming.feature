@seeded
Feature: Claiming what has not arrived
  As an acquisitions librarian
  I want Alma to claim orders that have not arrived or been activated in time, and to tell the vendor once
  So that late issues and books are chased without the vendor being pestered

  Source: Ex Libris Knowledge Center, "Processing Claims" (Acquisitions > Purchasing > Receiving Material) — the
  PO Line - Claiming job sends a physical line to the Claims task list when the expected receipt date (the order
  date plus "expected receipt after ordering", or the date set on the line) plus the claiming grace period has
  passed and it is not received, and an electronic line when the expected activation date plus grace has passed
  and it is not activated; the claim is sent to the vendor, by e-mail or EDI, only the first time the line is
  claimed; standing orders and digital lines are not claimed, save the type Physical - Standing Order Non
  Monograph, which goes through the claim mechanism. Source: Ex Libris Developer Network, "EDI: Claims"
  — a vendor whose EDI account takes claims is sent one OSTENQ message per claimed PO line.

  Decision of the simulator: the claiming job runs at 02:00 (UTC) each day the simulated clock passes.
  Decision of the simulator: a vendor gets EDI claims only when its EDI account is set up for them (GOBI at
  Hudson Valley); every other vendor gets an e-mail claim letter.
  Decision of the simulator: the order date is the day the PO was sent (else the day the line was created), and
  a line with no expected date and no expected interval is never claimed.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: A late order is claimed, and the vendor is told once

    @gobi
    Scenario: A print journal that has not arrived is claimed by EDI
      Source: Knowledge Center "Processing Claims"; Developer Network "EDI: Claims" (OSTENQ).
      Given GOBI prepares an order for the print journal subscription "Journal of Hudson Valley Studies"
      And it is expected 10 days after ordering, with 5 days' grace before a claim
      And the vendor sends the order to Alma
      When 15 days pass
      Then the PO line is not in the claims task list
      When one more day passes
      Then the PO line is in the claims task list
      And the vendor was sent the claim by EDI
      When 5 days pass
      Then the vendor was told of the claim only once

    @generic
    Scenario: A vendor without EDI claims is sent a claim letter by e-mail
      Source: Knowledge Center "Processing Claims" (claims sent by e-mail).
      Given Harrassowitz prepares an order for the print book "Annual Survey of Hudson Valley Archaeology"
      And it is expected 10 days after ordering, with 5 days' grace before a claim
      And the vendor sends the order to Alma
      When 16 days pass
      Then the vendor was sent a claim letter by e-mail

    @gobi
    Scenario: An e-journal that has not been activated is claimed
      Source: Knowledge Center "Processing Claims" (electronic lines: expected activation date plus grace).
      Given GOBI prepares an order for the e-journal subscription "Hudson River Ecology Online"
      And it is expected 5 days after ordering, with 2 days' grace before a claim
      And the vendor sends the order to Alma
      When 8 days pass
      Then the PO line is in the claims task list

    @gobi
    Scenario: Running the claiming job again does not claim a line twice
      Source: Knowledge Center "Processing Claims" (an order is sent to the Claims task list only after the job has run).
      Given GOBI prepares an order for the print journal subscription "Journal of Hudson Valley Studies"
      And it is expected 0 days after ordering, with 0 days' grace before a claim
      And the vendor sends the order to Alma
      And one more day passes
      When the claiming job runs
      Then the job does not report the PO line as claimed

  Rule: Arriving ends the claim

    @gobi
    Scenario: A claimed journal that arrives leaves the claims task list
      Source: Knowledge Center "Processing Claims".
      Given GOBI prepares an order for the print journal subscription "Journal of Hudson Valley Studies"
      And it is expected 10 days after ordering, with 5 days' grace before a claim
      And the vendor sends the order to Alma
      And 16 days pass
      When the PO line's items arrive and are received
      Then the PO line is not in the claims task list

  Rule: Some orders are never claimed

    @generic
    Scenario: A standing order is never claimed
      Source: Knowledge Center "Processing Claims" (claims for standing orders are not available in Alma).
      Given Harrassowitz prepares an order for the print standing order "Annual Survey of Hudson Valley Archaeology"
      And it is expected 10 days after ordering, with 5 days' grace before a claim
      And the vendor sends the order to Alma
      When 40 days pass
      Then the PO line is not in the claims task list
      And Alma has sent the vendor nothing about the PO line

  Rule: A standing order for a non-monographic series is claimed all the same

    @generic
    Scenario: A non-monographic standing order that has not arrived is claimed
      Source: Knowledge Center "Processing Claims" (the exception: Physical - Standing Order Non Monograph is
      processed by the claim mechanism).
      Given Harrassowitz prepares an order for the print standing order for a non-monographic series "Annual Survey of Hudson Valley Archaeology"
      And it is expected 10 days after ordering, with 5 days' grace before a claim
      And the vendor sends the order to Alma
      When 15 days pass
      Then the PO line is not in the claims task list
      When one more day passes
      Then the PO line is in the claims task list
      And the vendor was sent a claim letter by e-mail
