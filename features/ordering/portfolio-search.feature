@seeded
Feature: Finding the portfolio for an ebook ordered in real time
  As an electronic resources librarian
  I want each real-time ebook order to end up on the right portfolio
  So that we neither duplicate portfolios nor lose the Community Zone's maintained records

  Source: seeds/002_217f064eab39675a.txt — "Real-time ordering: General Overview": "Oasis and GOBI: the Create
  order API will search for existing portfolio in the institution, if not found the operation will search the
  CZ for a matching portfolio, if this is not found a local portfolio will be created. Other suppliers: the
  Create order API will search for existing portfolio in the institution, if not found a local portfolio will
  be created."
  A portfolio activated from the Community Zone arrives not yet available (Ex Libris documentation).

  Source: seeds/000_503139c17dc536a4.txt — "an electronic portfolio can only be linked to one POL": a portfolio
  the search finds that is already ordered keeps its PO line, and the new PO line is linked to the record only.

  Hudson Valley University holds "Canal Fever: The Erie Canal and the Empire State, 1817-1862" from an ebook
  package on EBSCOhost and ProQuest Ebook Central (no PO line on either portfolio), "The Atlantic World, 1450-1850"
  on JSTOR, and "Digital Humanities and the Archive" on EBSCOhost, ordered through GOBI.

  Decision of the simulator, not documented Alma behaviour: the platform of an ebook order is the platform the
  cart line names, otherwise the vendor's default interface (GOBI: EBSCOhost, Oasis: ProQuest Ebook Central,
  Harrassowitz: Cambridge Core). Which search applies follows the vendor's integration system, not its name.
  Decision of the simulator: the PO line that lands on an already ordered portfolio carries an alert naming the
  PO line the portfolio is ordered by; the alert informs and does not send the PO line to In Review.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: Every vendor first looks for a portfolio the institution already has

    Scenario Outline: An ebook the institution already has on the platform is ordered on its existing portfolio
      Given the librarian has the ebook "<title>" in the <vendor> cart
      And the cart line is for the platform "<platform>"
      When the librarian checks out the <vendor> cart
      Then the PO line's portfolio is the existing portfolio
      And the portfolio is on "<platform>"

      @gobi
      Examples: GOBI
        | vendor | title                                                       | platform  |
        | GOBI   | Canal Fever: The Erie Canal and the Empire State, 1817-1862 | EBSCOhost |

      @oasis
      Examples: Oasis
        | vendor | title                                                       | platform               |
        | Oasis  | Canal Fever: The Erie Canal and the Empire State, 1817-1862 | ProQuest Ebook Central |

      @generic
      Examples: a generic vendor
        | vendor       | title                         | platform |
        | Harrassowitz | The Atlantic World, 1450-1850 | JSTOR    |

  Rule: A portfolio has one ordering PO line; an order that finds it already ordered is linked to the record only

    @gobi
    Scenario: A GOBI order that finds the EBSCOhost portfolio already ordered is linked to the record, with a note naming the other PO line
      Given the librarian has the ebook "Digital Humanities and the Archive" in the GOBI cart
      And the cart line is for the platform "EBSCOhost"
      When the librarian checks out the GOBI cart
      Then the PO line is linked to the record "Digital Humanities and the Archive" only, not to a portfolio
      And Alma notes that the "EBSCOhost" portfolio is already ordered by another PO line, and names that PO line
      And the PO line is Sent

  Rule: GOBI and Oasis then look in the Community Zone; other vendors do not

    Scenario Outline: An ebook found in the Community Zone is activated for GOBI and Oasis, and created locally for others
      Given the librarian has the ebook "Coastal Resilience and the Politics of Adaptation" in the <vendor> cart
      When the librarian checks out the <vendor> cart
      Then the PO line's portfolio is <origin>
      And the portfolio is on "<platform>"
      And the portfolio is not yet available

      @gobi
      Examples: GOBI
        | vendor | origin                            | platform      |
        | GOBI   | activated from the Community Zone | EBSCOhost     |

      @oasis
      Examples: Oasis
        | vendor | origin                            | platform               |
        | Oasis  | activated from the Community Zone | ProQuest Ebook Central |

      @generic
      Examples: a generic vendor
        | vendor       | origin               | platform       |
        | Harrassowitz | a new local portfolio | Cambridge Core |

  Rule: When no portfolio is found anywhere, every vendor gets a local portfolio

    Scenario Outline: An ebook that no collection holds gets a new local portfolio
      Given the librarian has the ebook "The Printer's Devil: Apprentices and the Early American Press" in the <vendor> cart
      When the librarian checks out the <vendor> cart
      Then the PO line's portfolio is a new local portfolio
      And the portfolio is on "<platform>"

      @gobi
      Examples: GOBI
        | vendor | platform  |
        | GOBI   | EBSCOhost |

      @oasis
      Examples: Oasis
        | vendor | platform               |
        | Oasis  | ProQuest Ebook Central |

      @generic
      Examples: a generic vendor
        | vendor       | platform       |
        | Harrassowitz | Cambridge Core |
