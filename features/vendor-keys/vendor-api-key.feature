@seeded
Feature: A vendor's API key restricted by an API Restrictions profile
  As an acquisitions librarian who gives a vendor an API key for real-time ordering
  I want that key to create PO lines only for that vendor, and to read our funds without their balances
  So that a key handed to a third party cannot be used for other orders or to see our money

  Source: Ex Libris Developer Network blog "Working with API restriction profiles": a library that gives a vendor
  an API key (for real-time ordering) creates an integration profile of the type "API Restrictions" and names it
  on the key. Its Vendor setting means only PO lines whose payload carries that vendor code are created — orders
  for other vendors are not possible; its Fund view setting decides whether the funds API returns sensitive
  information such as balances.

  Decisions of the simulator, not documented Alma behaviour: a line the key sends for another vendor, or with no
  vendor, is refused with 400 and code 401872 ("Given vendor is illegal.", naming the profile's vendor), as every
  other illegal value is, and nothing is created. An update (PUT) with the key is refused unless the line is
  already the vendor's and stays the vendor's. The fund views are called Full and Limited; under Limited a fund
  answers without its five balances (allocated, encumbered, expended, cash, available), everything else as usual.
  Hudson Valley University's seed world gives GOBI the key l8xx-hvu-0000-gobi under the profile "GOBI_KEY"
  (vendor GOBI, Limited fund view); the vendors' carts keep the full key unless a scenario says otherwise.

  Background:
    Given Hudson Valley University is set up for real-time ordering
    And Hudson Valley University gave GOBI the API key under the API Restrictions profile "GOBI_KEY"

  Rule: A PO line created with the key carries the profile's vendor

    @gobi
    Scenario: GOBI's cart checked out with GOBI's own key creates the PO line
      Given the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the GOBI cart
      When the librarian checks out the GOBI cart with the vendor's API key
      Then Alma answers with a new PO line number
      And the PO line is ordered from GOBI
      And the PO line is Sent

    @oasis
    Scenario: An order for another vendor sent with GOBI's key is refused
      Given the librarian has the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" in the Oasis cart
      When the librarian checks out the Oasis cart with the vendor's API key
      Then the order is refused because the API key may order only from its own vendor
      And nothing changes in Alma

  Rule: An update with the key keeps the PO line with the profile's vendor

    @gobi
    Scenario: GOBI's key cannot move a PO line to another vendor
      Given the librarian has ordered the print book "Quarry Towns of the Hudson Highlands" through GOBI
      When the vendor moves the PO line to Oasis with its API key
      Then Alma refuses because the API key may order only from its own vendor
      And nothing changes in Alma

  Rule: The fund view decides whether the key reads the funds' balances

    Scenario: Under the Limited fund view the key reads a fund without its balances
      When the vendor reads the fund "HIST-MONO" with its API key
      Then the vendor sees the fund without its balances

    Scenario: Under the Full fund view the key reads the balances
      Given the API Restrictions profile "GOBI_KEY" has the Full fund view
      When the vendor reads the fund "HIST-MONO" with its API key
      Then the vendor sees the fund with 5000.00 USD available

  Rule: The key keeps out of the library's bookkeeping

    Decisions of the simulator: a key under an API Restrictions profile may never post a fund transaction (an
    allocation or a transfer moves the library's money), and under the Limited fund view it may not read a fund's
    transactions either, since their amounts would show the balances the view hides. Both are refused with 401
    UNAUTHORIZED, the message naming the profile.

    Scenario: GOBI's key cannot allocate money to a fund
      When the vendor allocates 100.00 USD to the fund "HIST-MONO" with its API key
      Then Alma refuses because the API key may not move the library's money
      And nothing changes in Alma

    Scenario: Under the Limited fund view the key reads no fund transactions
      When the vendor reads the transactions of the fund "HIST-MONO" with its API key
      Then Alma refuses because the API key's Limited fund view shows no fund transactions

  Rule: The API Restrictions profile is one of the institution's integration profiles

    Scenario: The profile is listed with its vendor and fund view
      When the librarian lists the API Restrictions integration profiles
      Then the list shows "GOBI_KEY" restricting the key to GOBI with the Limited fund view
