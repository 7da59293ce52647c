@seeded
Feature: Checking out when Alma is busy, failing or slow
  As an acquisitions librarian at Hudson Valley University
  I want the vendor's cart to try again when Alma cannot take an order at once, and never to order a title twice
  So that every title I check out becomes exactly one PO line, or I am told plainly that it was not placed

  Source: seeds/002_217f064eab39675a.txt — Ex Libris Developer Network, "Real-time ordering: General Overview":
  at checkout the vendor sends the cart to Alma with the Create PO line API, Alma answers with the new PO line
  number, and the vendor reference number is kept on the Alma PO line. Alma's API governance (reference
  alma-api.md §1, Governance): when an institution sends more calls a second than Alma allows, Alma answers that
  it is busy, and each institution has a daily limit of calls (1,000 calls per named-user licence); public
  clients wait and try again when Alma is busy. A server fault is Alma failing; an answer that never arrives
  leaves the vendor not knowing whether Alma created the PO line.

  Decision of the simulator's vendor carts, not documented Alma behaviour (docs/vendors.md, "Retries and
  duplicate detection"): when Alma is busy the cart waits a little and tries again, waiting longer each time, at
  most five times, and then gives up. When Alma is temporarily failing or answers too late, the cart waits and
  tries again, so it tries at most four times. Before it sends an order again after such a try, it looks in
  Alma for a PO line carrying its vendor reference number (by the title's ISBN, as Alma's search has no vendor
  reference field); if it finds one, it reports a possible duplicate with that PO line's number and does not
  send the order again. When Alma's daily limit is reached, the cart does not try again: no try would succeed
  today. An order the cart gives up on is not placed, and Alma has no PO line for it.

  Decision of the simulator: the trouble is the simulated Alma's own (its fault injection, set for the
  institution's orders only), so the cart meets Alma's own answers on every backend; the librarian's look in
  Alma afterwards is not troubled. "Answers too late" means Alma creates the PO line and answers after the
  cart has stopped waiting.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: When Alma is busy, the cart waits and tries again, and the order is placed once

    Scenario Outline: Alma is busy for the next two orders, and the cart's order is created once
      Given the librarian has the print book "Quarry Towns of the Hudson Highlands" in the <vendor> cart
      And the cart line carries the vendor reference number "<reference>"
      And Alma is busy for the next two orders
      When the librarian checks out the <vendor> cart
      Then the cart waited and tried again twice
      And the cart waited longer each time
      And Alma answers with a new PO line number
      And the <vendor> order shows the Alma PO line number
      And Alma has exactly one PO line with the vendor reference number "<reference>"

      @gobi
      Examples: GOBI
        | vendor | reference |
        | GOBI   | 88120951  |

      @oasis
      Examples: Oasis
        | vendor | reference   |
        | Oasis  | OA261402822 |

      @generic
      Examples: a generic vendor
        | vendor       | reference       |
        | Harrassowitz | ORD-2026-041395 |

  Rule: When Alma is temporarily failing, the cart tries again a few times, then gives up

    Scenario Outline: Alma fails once, and the cart's order is created once
      Given the librarian has the print book "Quarry Towns of the Hudson Highlands" in the <vendor> cart
      And the cart line carries the vendor reference number "<reference>"
      And Alma is temporarily failing for the next order
      When the librarian checks out the <vendor> cart
      Then the cart waited and tried again once
      And the cart looked in Alma for its vendor reference number before sending the order again
      And the PO line is Sent
      And Alma has exactly one PO line with the vendor reference number "<reference>"

      @gobi
      Examples: GOBI
        | vendor | reference |
        | GOBI   | 88120968  |

      @oasis
      Examples: Oasis
        | vendor | reference   |
        | Oasis  | OA261402839 |

      @generic
      Examples: a generic vendor
        | vendor       | reference       |
        | Harrassowitz | ORD-2026-041402 |

    Scenario Outline: Alma keeps failing, and the cart reports the order as not placed
      Given the librarian has the print book "Quarry Towns of the Hudson Highlands" in the <vendor> cart
      And the cart line carries the vendor reference number "<reference>"
      And Alma keeps failing
      When the librarian checks out the <vendor> cart
      Then the cart gave up after trying four times
      And the cart reports the order as not placed because Alma kept failing
      And Alma has no PO line with the vendor reference number "<reference>"
      And nothing changes in Alma

      @gobi
      Examples: GOBI
        | vendor | reference |
        | GOBI   | 88120975  |

      @oasis
      Examples: Oasis
        | vendor | reference   |
        | Oasis  | OA261402846 |

      @generic
      Examples: a generic vendor
        | vendor       | reference       |
        | Harrassowitz | ORD-2026-041419 |

  Rule: When Alma's answer comes too late, the cart looks for the order in Alma before sending it again

    Scenario Outline: Alma created the PO line but answered too late, and the cart reports a possible duplicate
      Given the librarian has the print book "Quarry Towns of the Hudson Highlands" in the <vendor> cart
      And the cart line carries the vendor reference number "<reference>"
      And Alma creates the PO line but answers too late for the next order
      When the librarian checks out the <vendor> cart
      Then the cart reports a possible duplicate of the PO line with the vendor reference number "<reference>"
      And the cart did not send the order a second time
      And Alma has exactly one PO line with the vendor reference number "<reference>"

      @gobi
      Examples: GOBI
        | vendor | reference |
        | GOBI   | 88120982  |

      @oasis
      Examples: Oasis
        | vendor | reference   |
        | Oasis  | OA261402853 |

      @generic
      Examples: a generic vendor
        | vendor       | reference       |
        | Harrassowitz | ORD-2026-041426 |

  Rule: When Alma's daily limit is reached, the cart does not try again

    Scenario Outline: The cart does not try again when Alma has reached its daily limit
      Given the librarian has the print book "Quarry Towns of the Hudson Highlands" in the <vendor> cart
      And the cart line carries the vendor reference number "<reference>"
      And Alma has reached its daily limit
      When the librarian checks out the <vendor> cart
      Then the cart did not try again
      And the cart reports the order as not placed because Alma has reached its daily limit
      And Alma has no PO line with the vendor reference number "<reference>"
      And nothing changes in Alma

      @gobi
      Examples: GOBI
        | vendor | reference |
        | GOBI   | 88120999  |

      @oasis
      Examples: Oasis
        | vendor | reference   |
        | Oasis  | OA261402860 |

      @generic
      Examples: a generic vendor
        | vendor       | reference       |
        | Harrassowitz | ORD-2026-041433 |
