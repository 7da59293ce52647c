@seeded
Feature: The New Order API integration profile
  As a systems librarian
  I want each vendor's real-time orders handled by the integration profile I set up for it
  So that matching, record creation and fund checks follow our rules for that vendor

  Source: seeds/001_458f83e2450e705c.txt — Ex Libris Alma Online Help, "Setting Up New Order Integration
  Profile", step 1: Code, Name, Integration Type (New Order API) and System are mandatory; "Default: when no
  profile is configured for a specific vendor, the default is used"; Description.
  Source: Ex Libris Developer Network, "Using multiple New Order API integration profiles" (shared/reference/
  alma-api.md): a vendor may name the profile in its order (the profile code); otherwise the profile whose
  System is the vendor's system is used; otherwise the default; with no profile at all Alma matches on ISBN or
  ISSN with default settings.

  Hudson Valley University has three profiles: "GOBI real-time orders" (system GOBI; adds a local note naming
  the vendor; Publish bibliographic records), "OASIS real-time orders" (system OASIS; Publish holdings only) and
  "Other vendors (default)" (the default; Don't publish).

  Decision of the simulator, not documented Alma behaviour: an institution may have only one default profile;
  saving a second one is refused.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: Code, Name, Integration Type and System are mandatory

    Scenario Outline: A profile saved without its <field> is refused
      When the librarian saves the integration profile "JSTOR_API" without its <field>
      Then the integration profile is refused because its <field> is mandatory
      And Hudson Valley University still has 3 integration profiles

      Examples:
        | field            |
        | Code             |
        | Name             |
        | Integration Type |
        | System           |

    Scenario: A profile keeps the description the librarian gives it
      When the librarian saves the integration profile "JSTOR_API" with the description "JSTOR ebooks bought on the Humanities endowment"
      Then the integration profile is saved with the description "JSTOR ebooks bought on the Humanities endowment"
      And Hudson Valley University still has 4 integration profiles

    Scenario: A second default profile is refused
      When the librarian saves the integration profile "JSTOR_API" as the default
      Then Alma refuses because only one profile may be the default

  Rule: Each vendor's orders go through the profile for its system, or else the default profile

    Scenario Outline: Each vendor's brief records follow that vendor's profile
      Given the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the <vendor> cart
      When the librarian checks out the <vendor> cart
      Then the record's management tag is "<management tag>"

      @gobi
      Examples: GOBI
        | vendor | management tag                |
        | GOBI   | Publish bibliographic records |

      @oasis
      Examples: Oasis
        | vendor | management tag        |
        | Oasis  | Publish holdings only |

      @generic
      Examples: a generic vendor
        | vendor       | management tag |
        | Harrassowitz | Don't publish  |

    @oasis
    Scenario: A vendor with no profile of its own is handled by the default profile
      Given Hudson Valley University has no integration profile for Oasis
      And the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the Oasis cart
      And the Oasis cart names no integration profile
      When the librarian checks out the Oasis cart
      Then the record's management tag is "Don't publish"

    Scenario: With no profile at all, Alma still matches the title by its ISBN
      Given Hudson Valley University has no New Order API integration profile at all
      And the librarian has the print book "Rivers of Empire: Water and Power in the Hudson Valley" in the Harrassowitz cart
      And the Harrassowitz cart names no integration profile
      When the librarian checks out the Harrassowitz cart
      Then the PO line is attached to the existing record "Rivers of Empire: Water and Power in the Hudson Valley"

  Rule: A vendor may name the profile its order is handled by

    @gobi
    Scenario: A GOBI order that names the default profile is handled by the default profile
      Given the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the GOBI cart
      And the GOBI cart names the integration profile "DEFAULT_API"
      When the librarian checks out the GOBI cart
      Then the record's management tag is "Don't publish"
      And the record carries no local note

    @gobi
    Scenario: An order that names a profile Alma does not have is refused and nothing is created
      Given the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the GOBI cart
      And the GOBI cart names the integration profile "YBP_LEGACY"
      When the librarian checks out the GOBI cart
      Then the order is refused because Alma has no integration profile of that code
      And nothing changes in Alma
