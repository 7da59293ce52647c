@seeded
Feature: Purchasing review rules and the PO line price threshold
  As an acquisitions administrator
  I want rules that decide which real-time orders wait In Review, and a price above which every order waits
  So that the orders that need a person's eye get one, and the others go straight on

  Source: Ex Libris Knowledge Center "Configuring Purchasing Review Rules": the rules apply to PO lines created
  automatically (by API or import), not to lines a librarian enters. Unlike other rules tables, the default rule
  is checked first and has no criteria: True sends every such line to review; False hands over to the other rules,
  which are checked in their listed order — the first whose criteria match decides, by its result (True: review,
  False: on to packaging); when none matches, the line goes on to packaging. Knowledge Center "PO Line Alert: Price
  Limit Reached": a PO line above the PO Line Price Threshold of its library or institution carries the alert
  "Price Limit Reached" (and waits for review) even when no review rule is set.

  Decisions of the simulator, not documented Alma behaviour: a rule's criteria can be vendor, PO line type,
  acquisition method, fund, owning library, rush and "net price over an amount" (in the institution's currency);
  the price compared with the threshold is the line's net price (all copies, after discount) in the institution's
  currency, and only a price strictly above it raises the alert; with no threshold set, no line raises it. A line a
  rule sends to review carries the alert REVIEW_RULE naming the rule, the price limit the alert PRICE_LIMIT_REACHED
  (our codes). The rules are set through the simulator's librarian endpoint (PUT
  /almasim/v1/librarian/purchasing-review-rules), standing in for Alma's configuration screens.

  Background:
    Given Hudson Valley University is set up for real-time ordering
    And the purchasing review rules table is empty

  Rule: The default rule is checked first

    @gobi
    Scenario: With the default rule True every real-time order waits In Review
      Given the default purchasing review rule is True
      And the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the GOBI cart
      When the librarian checks out the GOBI cart
      Then the PO line is In Review because a purchasing review rule sends it to review
      And the fund "HIST-MONO" still has 5000.00 USD available

    @gobi
    Scenario: The default rule True wins over a rule that would send the order on
      Given the default purchasing review rule is True
      And the purchasing review rules are, in this order:
        | rule         | vendor | format | net price over | result    |
        | GOBI goes on | GOBI   |        |                | packaging |
      And the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the GOBI cart
      When the librarian checks out the GOBI cart
      Then the PO line is In Review because a purchasing review rule sends it to review

    @gobi
    Scenario: With the default rule False and no other rule the order goes straight on
      Given the default purchasing review rule is False
      And the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the GOBI cart
      When the librarian checks out the GOBI cart
      Then the PO line is Sent
      And the PO line carries no alert

    Scenario: A PO line the librarian orders in Alma is not held by the default rule
      Given the default purchasing review rule is True
      And the librarian locates "Digital Humanities and the Archive" in the Institution Zone
      When the librarian clicks Order and creates an ebook order on "EBSCOhost", with "Assign inventory manually" ticked
      Then no purchasing review rule holds the PO line

  Rule: Otherwise the first rule whose criteria match decides

    Scenario Outline: The first matching rule decides for a <vendor> print book
      Given the purchasing review rules are, in this order:
        | rule              | vendor | format     | net price over | result    |
        | GOBI goes on      | GOBI   |            |                | packaging |
        | Print is reviewed |        | print book |                | review    |
      And the librarian has the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" in the <vendor> cart
      When the librarian checks out the <vendor> cart
      Then the PO line is <status>

      Examples:
        | vendor | status    |
        | GOBI   | Sent      |
        | Oasis  | In Review |

    @oasis
    Scenario: A rule on the net price sends an order above the amount to review
      Given the purchasing review rules are, in this order:
        | rule      | vendor | format | net price over | result |
        | Expensive |        |        | 40.00 USD      | review |
      And the librarian has the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" in the Oasis cart
      When the librarian checks out the Oasis cart
      Then the PO line is In Review because a purchasing review rule sends it to review

    @oasis
    Scenario: When no rule matches the order goes straight on
      Given the purchasing review rules are, in this order:
        | rule         | vendor | format | net price over | result |
        | Ebooks       |        | ebook  |                | review |
        | Very costly  |        |        | 1000.00 USD    | review |
      And the librarian has the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" in the Oasis cart
      When the librarian checks out the Oasis cart
      Then the PO line is Sent

  Rule: A price above the PO line price threshold raises "Price Limit Reached"

    @gobi
    Scenario: An order above the threshold waits In Review with the price limit alert
      Given the PO line price threshold is 40.00 USD
      And the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the GOBI cart
      When the librarian checks out the GOBI cart
      Then the PO line is In Review because the price limit is reached
      And the fund "HIST-MONO" still has 5000.00 USD available

    @gobi
    Scenario: An order priced exactly at the threshold goes straight on
      Given the PO line price threshold is 45.00 USD
      And the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the GOBI cart
      When the librarian checks out the GOBI cart
      Then the PO line is Sent

    @gobi
    Scenario: The price limit holds the order even when a rule sends it on
      Given the PO line price threshold is 40.00 USD
      And the purchasing review rules are, in this order:
        | rule         | vendor | format | net price over | result    |
        | GOBI goes on | GOBI   |        |                | packaging |
      And the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the GOBI cart
      When the librarian checks out the GOBI cart
      Then the PO line is In Review because the price limit is reached
