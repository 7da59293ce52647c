@seeded
Feature: Which bibliographic record a real-time order is attached to
  As a cataloguer
  I want each real-time order attached to the record we already have, or to a new brief record when we have none
  So that the catalogue gains no duplicate records and the order lands on the right inventory

  Source: seeds/001_458f83e2450e705c.txt — "Setting Up New Order Integration Profile", step 2, MATCH: the serial
  and non-serial match methods, "Upon no match" (Import, or Add to Network Zone), and "Prefer record with the
  same inventory type (electronic/physical)" with its rules for choosing among several matching records.
  Source: Ex Libris Developer Network, "How the bibliographic record is determined" (shared/reference/
  alma-api.md): an MMS ID given in the order wins; otherwise the profile's match method searches the
  Institution Zone (and the Network Zone when the profile uses it), never the Community Zone.

  Decision of the simulator, not documented Alma behaviour: when several records match and no preference
  decides, Alma picks one at random; the simulator picks the lowest MMS ID, so the outcome is repeatable, and
  adds an alert naming the other matching records.
  Decision of the simulator: serial match methods apply to journal and subscription PO line types; every other
  PO line type uses the non-serial match method.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: An MMS ID in the order wins over any match

    @gobi
    Scenario: A print copy ordered with the MMS ID of the ebook record is attached to that record
      Given the librarian has the print book "Digital Humanities and the Archive" in the GOBI cart
      And the cart line sends the ISBN as "9781108455831"
      And the cart line names the MMS ID of the record "Digital Humanities and the Archive"
      When the librarian checks out the GOBI cart
      Then the PO line is attached to the existing record "Digital Humanities and the Archive"

  Rule: Non-serial orders are matched by the profile's non-serial match method

    Scenario Outline: A book is matched by its ISBN, in any of its forms
      Given the librarian has the print book "Rivers of Empire: Water and Power in the Hudson Valley" in the <vendor> cart
      And the cart line sends the ISBN as "<ISBN as sent>"
      When the librarian checks out the <vendor> cart
      Then the PO line is attached to the existing record "Rivers of Empire: Water and Power in the Hudson Valley"

      @gobi
      Examples: GOBI
        | vendor | ISBN as sent      |
        | GOBI   | 978-1-5036-4222-5 |
        | GOBI   | 1503642224        |

      @oasis
      Examples: Oasis
        | vendor | ISBN as sent   |
        | Oasis  | 9781503642225  |

      @generic
      Examples: a generic vendor
        | vendor       | ISBN as sent  |
        | Harrassowitz | 1-5036-4222-4 |

    @generic
    Scenario: A profile that matches by the 035 other system number finds the record by its OCLC number
      Given "Non Serial match method" is "035 other system number" in the Harrassowitz integration profile
      And the librarian has the print book "Sacred Geographies of the Mediterranean" in the Harrassowitz cart
      And the cart line sends the OCLC number "(OCoLC)987654321" and no ISBN
      When the librarian checks out the Harrassowitz cart
      Then the PO line is attached to the existing record "Sacred Geographies of the Mediterranean"

  Rule: Journal subscriptions are matched by the profile's serial match method

    @oasis
    Scenario: A journal subscription is matched by its ISSN
      Given the librarian has the print journal subscription "Journal of Hudson Valley Studies" in the Oasis cart
      And the cart line is charged to "SERIALS"
      When the librarian checks out the Oasis cart
      Then the PO line is attached to the existing record "Journal of Hudson Valley Studies"

    @oasis
    Scenario: A journal subscription ignores the non-serial match method
      Given "Non Serial match method" is "035 other system number" in the Oasis integration profile
      And the librarian has the print journal subscription "Journal of Hudson Valley Studies" in the Oasis cart
      When the librarian checks out the Oasis cart
      Then the PO line is attached to the existing record "Journal of Hudson Valley Studies"

  Rule: The Network Zone is searched only when the profile uses it

    @gobi
    Scenario: A title catalogued only in the Network Zone gets a brief record when the profile does not use the Network Zone
      Given the librarian has the print book "Comparative Constitutional Design" in the GOBI cart
      When the librarian checks out the GOBI cart
      Then Alma creates a brief record "Comparative Constitutional Design" in the Institution Zone

  Rule: Upon no match, Import creates a brief record in the Institution Zone; the Community Zone is never searched

    Scenario Outline: A title held only in the Community Zone still gets a brief record of the institution's own
      Given the librarian has the ebook "<title>" in the <vendor> cart
      When the librarian checks out the <vendor> cart
      Then Alma creates a brief record "<title>" in the Institution Zone

      @gobi
      Examples: GOBI
        | vendor | title                                           |
        | GOBI   | Ledgers of Empire: Accounting and Colonial Rule |

      @oasis
      Examples: Oasis
        | vendor | title                                           |
        | Oasis  | Ledgers of Empire: Accounting and Colonial Rule |

      @generic
      Examples: a generic vendor (Harrassowitz does not sell "Ledgers of Empire" as an ebook)
        | vendor       | title                              |
        | Harrassowitz | Soundscapes of the Industrial City |

  Rule: With several matches, "Prefer record with the same inventory type" chooses by the rules of seed 001

    A record holding both print and electronic inventory counts as mixed. If exactly one matching record holds
    only the order's inventory type, it wins. If several do, there is no preference. A mixed record wins only when
    it is the one mixed record and no matching record holds only print or only electronic inventory — seed 001
    read as written: "If only one of the matching records contains mixed inventory, and there are no matching
    records that contain only electronic or physical records, the mixed record will be considered a match". So two
    print records keep the mixed record of "Reading the Medieval Landscape" from winning even an ebook order. A
    record with no inventory at all keeps nothing from winning. Otherwise there is no preference.

    The profile's Inventory Operations says what type the order is: None means no preference; Physical or
    Electronic fix it; Mixed reads P (physical) or E (electronic) from the order's resource type field.
    Decision of the simulator, not documented Alma behaviour: an order sent through the Create PO line API has no
    resource type field, so under Mixed the simulator takes the type from the PO line type — print types are P,
    ebooks and electronic collections are E.

    Hudson Valley University has "Cities of Salt and Steel" as one print and one electronic record; "Reading the
    Medieval Landscape" as two print records and one print and electronic record; and "Canal Fever: The Erie Canal
    and the Empire State" as one print and electronic record and one record that holds nothing.

    @generic
    Scenario Outline: A <format> of "<title>" with the preference <prefer> and inventory operations <operations> goes to the <kind> record
      Given "Prefer record with the same inventory type" is <prefer> in the Harrassowitz integration profile, with Inventory Operations "<operations>"
      And the librarian has the <format> "<title>" in the Harrassowitz cart
      When the librarian checks out the Harrassowitz cart
      Then the PO line is attached to the <kind> record "<record>"
      And Alma chose the record by <chosen by>

      Examples:
        | format     | title                                                       | prefer     | operations | kind                 | record                                                      | chosen by      |
        | print book | Cities of Salt and Steel                                    | ticked     | Mixed      | print                | Cities of Salt and Steel                                    | inventory type |
        | ebook      | Cities of Salt and Steel                                    | ticked     | Mixed      | electronic           | Cities of Salt and Steel [electronic resource]              | inventory type |
        | print book | Reading the Medieval Landscape                              | ticked     | Mixed      | print                | Reading the Medieval Landscape                              | lowest MMS ID  |
        | ebook      | Reading the Medieval Landscape                              | ticked     | Mixed      | print                | Reading the Medieval Landscape                              | lowest MMS ID  |
        | print book | Canal Fever: The Erie Canal and the Empire State, 1817-1862 | ticked     | Mixed      | print and electronic | Canal Fever: The Erie Canal and the Empire State, 1817-1862 | inventory type |
        | ebook      | Canal Fever: The Erie Canal and the Empire State, 1817-1862 | ticked     | Mixed      | print and electronic | Canal Fever: The Erie Canal and the Empire State, 1817-1862 | inventory type |
        | ebook      | Cities of Salt and Steel                                    | not ticked | Mixed      | print                | Cities of Salt and Steel                                    | lowest MMS ID  |
        | ebook      | Cities of Salt and Steel                                    | ticked     | None       | print                | Cities of Salt and Steel                                    | lowest MMS ID  |
        | ebook      | Cities of Salt and Steel                                    | ticked     | Physical   | print                | Cities of Salt and Steel                                    | inventory type |
        | print book | Cities of Salt and Steel                                    | ticked     | Electronic | electronic           | Cities of Salt and Steel [electronic resource]              | inventory type |
