@seeded
Feature: Normalizing and validating the metadata of a real-time order
  As a cataloguer
  I want the vendor's metadata cleaned before Alma matches it, and invalid metadata handled by our policy
  So that small differences in how vendors write ISBNs and titles never create duplicate records

  Source: seeds/001_458f83e2450e705c.txt — "Setting Up New Order Integration Profile", step 2: NORMALIZATION
  ("Correct the data using": the MARC 21 Bib Initial Normalization always runs, before matching, in addition to
  the process chosen in the profile) and VALIDATION ("Handle invalid data using" a validation exception profile;
  Ex Libris recommends "MarcXML Bib Import").

  Decision of the simulator, not documented Alma behaviour: the initial normalization trims and folds spaces,
  strips trailing ISBD punctuation from titles, and strips hyphens, spaces and qualifiers such as "(pbk.)" from
  ISBNs; an ISBN-10 and its ISBN-13 are the same book. Hudson Valley University's GOBI profile uses the process
  "Add vendor local note", which names the vendor in a local note on every record the order brings.
  Decision of the simulator: the validation exception profile "MarcXML Bib Import" keeps the record and sends the
  PO line to In Review with an alert; "Strict" refuses the order; "Ignore" keeps the record silently.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: The initial normalization always runs before matching

    Scenario Outline: An ISBN sent as "<ISBN as sent>" still finds the record
      Given the librarian has the print book "Rivers of Empire: Water and Power in the Hudson Valley" in the <vendor> cart
      And the cart line sends the ISBN as "<ISBN as sent>"
      When the librarian checks out the <vendor> cart
      Then the PO line is attached to the existing record "Rivers of Empire: Water and Power in the Hudson Valley"

      @gobi
      Examples: GOBI
        | vendor | ISBN as sent                 |
        | GOBI   | 978-1-5036-4222-5 (pbk.)     |
        | GOBI   | 978 1503 642225              |

      @oasis
      Examples: Oasis
        | vendor | ISBN as sent         |
        | Oasis  | 1503642224 (paper)   |

      @generic
      Examples: a generic vendor
        | vendor       | ISBN as sent       |
        | Harrassowitz | 978-1503642225     |

    @oasis
    Scenario: A brief record's title loses the trailing punctuation and doubled spaces the vendor sent
      Given the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the Oasis cart
      And the cart line sends the title as "Tidewater Archives:  Records of the Colonial Chesapeake /"
      When the librarian checks out the Oasis cart
      Then Alma creates a brief record "Tidewater Archives: Records of the Colonial Chesapeake" in the Institution Zone

  Rule: The profile's own normalization process runs after the initial normalization

    Scenario Outline: The vendor local note appears only where the profile's process adds it
      Given the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the <vendor> cart
      When the librarian checks out the <vendor> cart
      Then the record <local note>

      @gobi
      Examples: GOBI
        | vendor | local note                                                                                   |
        | GOBI   | carries the local note "Ordered through GOBI Library Solutions from EBSCO (real-time order)" |

      @oasis
      Examples: Oasis
        | vendor | local note           |
        | Oasis  | carries no local note |

  Rule: Invalid metadata is handled by the profile's validation exception profile

    @gobi
    Scenario: With "MarcXML Bib Import" an order with an invalid ISBN is kept for review
      Given "Handle invalid data using" is "MarcXML Bib Import" in the GOBI integration profile
      And the librarian has the print book "Iron and Ice: The Hudson River Ice Trade" in the GOBI cart
      And the cart line sends the ISBN as "9780801451271"
      When the librarian checks out the GOBI cart
      Then the PO line is In Review because the ISBN is invalid

    @gobi
    Scenario: With "Strict" an order with an invalid ISBN is refused and nothing is created
      Given "Handle invalid data using" is "Strict" in the GOBI integration profile
      And the librarian has the print book "Iron and Ice: The Hudson River Ice Trade" in the GOBI cart
      And the cart line sends the ISBN as "9780801451271"
      When the librarian checks out the GOBI cart
      Then the order is refused because the ISBN is invalid
      And nothing changes in Alma

    @gobi
    Scenario: With "Ignore" an order with an invalid ISBN is processed without an alert
      Given "Handle invalid data using" is "Ignore" in the GOBI integration profile
      And the librarian has the print book "Iron and Ice: The Hudson River Ice Trade" in the GOBI cart
      And the cart line sends the ISBN as "9780801451271"
      When the librarian checks out the GOBI cart
      Then the PO line is Sent
      And the PO line carries no alert
