@seeded
Feature: Ordering an ebook the library already owns
  As an electronic resources librarian
  I want to buy more users, a second copy, or the same title on another platform without breaking our portfolios
  So that every portfolio keeps exactly one ordering PO line and the catalogue shows what we really bought

  Source: seeds/000_503139c17dc536a4.txt — a university library consortium's knowledge base, "How should I handle
  duplicate orders of ebooks in Alma?":
  Increased number of users — locate the record in the Institution Zone, click Order, assign the PO line type
  "License Upgrade" and one of the three access models available for upgrades ("If you want to add more access
  models to the list, submit a ticket to OLS": the consortium's own systems office, not Ex Libris); "It does not
  matter if you check the box next to 'Assign inventory manually' or not. Either way, no new electronic portfolios
  will be created, even if the Alma popup says so".
  Duplicate order on the same platform — locate the record in the Institution Zone, click Order, create an ebook
  order and check "Assign inventory manually"; "This POL will only be linked to the bibliographic record, not the
  electronic portfolio … because an electronic portfolio can only be linked to one POL".
  Duplicate order on a different platform — locate the record in the Community Zone, click Portfolio List, find
  the new platform and click Order.

  Hudson Valley University already owns "Digital Humanities and the Archive" on EBSCOhost, single user, ordered
  through GOBI. Its upgrade access models are the three the knowledge base speaks of: "3 concurrent users",
  "Unlimited users" and "Non-linear lending". More are added on request by the consortium's own systems office —
  the knowledge base's "submit a ticket to OLS" — not by Ex Libris: at Lakeshore State University, which owns the
  same ebook the same way, the Three Rivers consortium's systems office has added "5 concurrent users".

  Decision of the simulator, not documented Alma behaviour: "License Upgrade" is a PO line type of its own, and the
  upgrade access models are institution data kept by the consortium's systems office (three by default). Any
  other access model on a License Upgrade is refused.
  Decision of the simulator: the License Upgrade PO line is attached to the existing portfolio as an additional
  PO line, and the portfolio then shows the upgrade's access model. Ordering the same platform again without
  "Assign inventory manually" creates a second portfolio on that platform and notes that the resource already
  exists in the inventory — the outcome the knowledge base warns against.
  Decision of the simulator: the portfolio ordered from the Community Zone record's Portfolio List is activated
  into the institution on the institution's record of the title, and the new PO line is its ordering PO line.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: A License Upgrade never creates a portfolio, whether or not "Assign inventory manually" is ticked

    Scenario Outline: Upgrading to "<access model>" with "Assign inventory manually" <assign> adds no portfolio
      Given the librarian locates "Digital Humanities and the Archive" in the Institution Zone
      When the librarian clicks Order and assigns the PO line type "License Upgrade" and the access model "<access model>", with "Assign inventory manually" <assign>
      Then no new portfolio is created for the record
      And the PO line is an additional PO line of the "EBSCOhost" portfolio
      And the "EBSCOhost" portfolio shows the access model "<access model>"

      Examples:
        | access model        | assign      |
        | 3 concurrent users  | ticked      |
        | 3 concurrent users  | not ticked  |
        | Unlimited users     | ticked      |
        | Unlimited users     | not ticked  |
        | Non-linear lending  | ticked      |
        | Non-linear lending  | not ticked  |

    Scenario Outline: A License Upgrade to "<access model>", which is not an upgrade access model, is refused
      Given the librarian locates "Digital Humanities and the Archive" in the Institution Zone
      When the librarian clicks Order and assigns the PO line type "License Upgrade" and the access model "<access model>", with "Assign inventory manually" not ticked
      Then Alma refuses because a License Upgrade takes only an upgrade access model
      And nothing changes in Alma

      Examples:
        | access model              |
        | Single user               |
        | Demand-driven acquisition |

  Rule: More upgrade access models come from the consortium's own systems office, not from Ex Libris

    Scenario: At Lakeshore State University a License Upgrade may take the access model its systems office added
      Given Lakeshore State University is set up for real-time ordering
      And the librarian locates "Digital Humanities and the Archive" in the Institution Zone
      When the librarian clicks Order and assigns the PO line type "License Upgrade" and the access model "5 concurrent users", with "Assign inventory manually" not ticked
      Then no new portfolio is created for the record
      And the PO line is an additional PO line of the "EBSCOhost" portfolio
      And the "EBSCOhost" portfolio shows the access model "5 concurrent users"

  Rule: A second order on the same platform links to the record only when "Assign inventory manually" is ticked

    Scenario: With "Assign inventory manually" ticked, the second PO line is linked to the record only
      Given the librarian locates "Digital Humanities and the Archive" in the Institution Zone
      When the librarian clicks Order and creates an ebook order on "EBSCOhost", with "Assign inventory manually" ticked
      Then the PO line is linked to the record only, not to a portfolio
      And no new portfolio is created for the record
      And the "EBSCOhost" portfolio is still ordered by its original PO line only

    Scenario: Without "Assign inventory manually", a second portfolio is created on the same platform
      Given the librarian locates "Digital Humanities and the Archive" in the Institution Zone
      When the librarian clicks Order and creates an ebook order on "EBSCOhost", with "Assign inventory manually" not ticked
      Then the record has a second portfolio on "EBSCOhost" for the new PO line
      And Alma notes that the ordered resource already exists in the inventory
      And the "EBSCOhost" portfolio is still ordered by its original PO line only

  Rule: An order on a different platform starts from the record in the Community Zone and its Portfolio List

    Scenario: Ordering the ProQuest Ebook Central portfolio from the Portfolio List gives the title a second platform with its own PO line
      Given the librarian locates "Digital Humanities and the Archive" in the Community Zone
      When the librarian clicks Portfolio List, finds "ProQuest Ebook Central" and clicks Order
      Then the PO line's portfolio is activated from the Community Zone
      And the portfolio is on "ProQuest Ebook Central"
      And the institution's record "Digital Humanities and the Archive" has a portfolio on "EBSCOhost" and one on "ProQuest Ebook Central"
      And each of the record's portfolios has its own PO line
