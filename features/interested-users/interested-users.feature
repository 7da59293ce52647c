@seeded
Feature: Interested users are told about the order
  As a selector ordering a title for a colleague or a patron
  I want to name them on the PO line as interested users
  So that they hear when it arrives or is cancelled, and the arrived item is kept for them

  Source: shared/reference/after-ordering.md "Who is told" (Ex Libris Knowledge Center, "When is a notification
  sent to interested users"): a PO line can name interested users; "notify upon receiving/activation" sends
  the Interested In Letter when the item is received (physical) or the activation task is Done (electronic);
  "notify upon cancellation" tells them when the PO line is cancelled; "hold item" places a request on the
  received item, the first user named first in the queue. Source: alma-api.md §4.2, the PO line's
  `interested_user` (primary_id and the four flags); Ex Libris' OpenAPI file, Retrieve User Requests per Item.

  Decisions of the simulator, not documented Alma behaviour:
  - an interested user must be one of the institution's users (by primary ID); an unknown one refuses the
    order with "Given interested_user is illegal" (401872) and nothing is created;
  - a user is sent the Interested In Letter once per PO line, on its first receipt or activation;
  - the hold request is placed as the item is received (Alma places it at the scan-in at the item's
    circulation desk, a step the simulator does not have);
  - a cancelled PO line is told with the PO Line Cancellation Letter (the letter's name as Alma's letter
    templates give it); the letters are listed on the librarian's letters list.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: Interested users who asked are told when the order arrives

    @gobi
    Scenario: A faculty member is told when the print book she is waiting for is received
      Given the librarian has the print book "Quarry Towns of the Hudson Highlands" in the GOBI cart
      And the cart line names the interested user "ada.reyes", to be notified on receipt or activation
      And the cart line names the interested user "omar.haddad", to be notified of nothing
      When the librarian checks out the GOBI cart
      And the librarian receives the PO line's item
      Then "ada.reyes" is sent the Interested In Letter about the PO line
      And "omar.haddad" is sent no letter about the PO line

    @gobi
    Scenario: A faculty member is told when the activation of the ebook she is waiting for is done
      Given the librarian has the ebook "Coastal Resilience and the Politics of Adaptation" in the GOBI cart
      And the cart line names the interested user "ada.reyes", to be notified on receipt or activation
      When the librarian checks out the GOBI cart
      Then "ada.reyes" is sent no letter about the PO line
      When the librarian activates the PO line's portfolio
      Then "ada.reyes" is sent the Interested In Letter about the PO line

  Rule: "Hold item" keeps the received item for the interested users, in the order the PO line names them

    @oasis
    Scenario: The received item is held for two interested users, the first named first
      Given the librarian has the print book "Iron and Ice: The Hudson River Ice Trade" in the Oasis cart
      And the cart line names the interested user "lena.park", with the item held for them and to be notified on receipt or activation
      And the cart line names the interested user "omar.haddad", with the item held for them
      And the cart line names the interested user "ada.reyes", to be notified on cancellation
      When the librarian checks out the Oasis cart
      And the librarian receives the PO line's item
      Then the received item is held for "lena.park", then for "omar.haddad"
      And "lena.park" is sent the Interested In Letter about the PO line

    @generic
    Scenario: Without "hold item" the received item is held for nobody
      Given the librarian has the print book "Iron and Ice: The Hudson River Ice Trade" in the Harrassowitz cart
      And the cart line names the interested user "ada.reyes", to be notified on receipt or activation
      When the librarian checks out the Harrassowitz cart
      And the librarian receives the PO line's item
      Then the received item is held for nobody

  Rule: Interested users who asked are told when the order is cancelled

    @gobi
    Scenario: A cancelled order tells the interested user who asked to hear about cancellations
      Given the librarian has the print book "The Printer's Devil: Apprentices and the Early American Press" in the GOBI cart
      And the cart line names the interested user "ada.reyes", to be notified on cancellation
      When the librarian checks out the GOBI cart
      And the librarian cancels the PO line because "Vendor cannot supply"
      Then "ada.reyes" is sent the PO Line Cancellation Letter about the PO line

    @oasis
    Scenario: A cancelled order tells nobody who did not ask to hear about cancellations
      Given the librarian has the print book "The Printer's Devil: Apprentices and the Early American Press" in the Oasis cart
      And the cart line names the interested user "ada.reyes", to be notified on receipt or activation and with the item held for them
      When the librarian checks out the Oasis cart
      And the librarian cancels the PO line because "Ordered in error"
      Then "ada.reyes" is sent no letter about the PO line

  Rule: An interested user is one of the institution's users [decision]

    @gobi
    Scenario: An order naming someone who is not an Alma user is refused
      Given the librarian has the print book "Tidewater Archives: Records of the Colonial Chesapeake" in the GOBI cart
      And the cart line names the interested user "nobody.here", to be notified on receipt or activation
      When the librarian checks out the GOBI cart
      Then Alma refuses the order because "nobody.here" is not one of its users
      And nothing changes in Alma
