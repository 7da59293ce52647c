@seeded
Feature: Pinning Alma's answer for a vendor's call (stubs)
  As a vendor's engineer or QA lead testing our integration with Alma, in any language
  I want to pin the answer Alma gives to chosen calls — a refusal, a general error, first one answer then another
  So that I can see what our cart does when Alma answers that way, without waiting for a real Alma to do it

  This is one of the simulator's own tools, not Alma behaviour: a real Alma has no stubs. A stub is set through
  the simulator's admin API (POST /almasim/v1/admin/stubs; README, "Stubs"), names which calls it answers (here:
  the institution's Create PO line calls) and what each gets, in Alma's own dialect: Alma's error envelope with
  the pinned code and message, a raw body, a delay, or the simulated Alma's own answer. A stub with a number of
  calls retires after them; a sequence retires after its last answer; a stub without a number stays until it is
  removed. Every call a stub answered is marked as stubbed in the simulator's journal.

  The cart is the simulator's real vendor cart with its real retry policy (docs/vendors.md, "Retries and
  duplicate detection"): an Alma refusal is reported at once; a general error (status 500) is waited out and the
  order is sent again, after the cart has looked for it in Alma; so is an answer without Alma's envelope (a load
  balancer's page) and an answer that comes later than the cart waits (two seconds here), after which the cart
  finds the order Alma created and does not send it again.

  Decision of the simulator: the general error pinned here is Alma's envelope with the code GENERAL_ERROR and the
  status 500; any code and status can be pinned.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: A stub answers the calls it names, and the call after it is the simulated Alma's

    Scenario: The next order is refused with Alma's error, and the order after it is created
      Given the librarian has the print book "Quarry Towns of the Hudson Highlands" in the GOBI cart
      And the simulator answers the next Create PO line with Alma's error 401871 "PO line not found."
      When the librarian checks out the GOBI cart
      Then the GOBI cart reports the order as refused by Alma with error 401871 "PO line not found."
      And the simulator's journal shows the order answered by a stub with Alma's error 401871
      And the simulator has no stubs left
      When the librarian checks out the GOBI cart again with the same title
      Then Alma answers with a new PO line number
      And the GOBI order shows the Alma PO line number
      And the simulator's journal shows the order answered by the simulated Alma
      And the simulator's journal shows 1 Create PO line call answered by a stub

  Rule: A sequence answers one call after another, and a cart that tries again meets each answer in turn

    Scenario: First a general error, then the simulated Alma's answer, and the cart's order is created once
      Given the librarian has the print book "Quarry Towns of the Hudson Highlands" in the Oasis cart
      And the cart line carries the vendor reference number "OA261409911"
      And the simulator answers the next Create PO line with a general error "General Error - An error has occurred while processing the request.", then lets the simulated Alma answer
      When the librarian checks out the Oasis cart
      Then the cart waited and tried again once
      And the cart looked in Alma for its vendor reference number before sending the order again
      And the PO line is Sent
      And Alma has exactly one PO line with the vendor reference number "OA261409911"
      And the simulator's journal shows 2 Create PO line calls answered by a stub
      And the simulator has no stubs left

  Rule: A raw answer is sent exactly as pinned, and a delay makes the answer come late

    Scenario: A load balancer's HTML page instead of Alma's answer, and the cart tries again
      Given the librarian has the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" in the GOBI cart
      And the cart line carries the vendor reference number "88120913"
      And the simulator answers the next Create PO line with a load balancer's HTML page "502 Bad Gateway" and the status 502
      When the librarian checks out the GOBI cart
      Then the cart waited and tried again once
      And the PO line is Sent
      And Alma has exactly one PO line with the vendor reference number "88120913"
      And the simulator's journal shows the first order answered by a stub with the status 502 and no Alma error code

    Scenario: The answer comes later than the cart waits, and the cart finds the order Alma created
      Given the librarian has the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" in the Harrassowitz cart
      And the cart line carries the vendor reference number "ORD-2026-041501"
      And the simulator answers the next Create PO line 6 seconds late, later than the cart waits
      When the librarian checks out the Harrassowitz cart
      Then the cart reports a possible duplicate of the PO line with the vendor reference number "ORD-2026-041501"
      And the cart did not send the order a second time
      And the simulator's journal shows 1 Create PO line call answered by a stub

  Rule: Removing the stubs gives back the simulated Alma

    Scenario: Every order is refused while the stub is there, and created once it is removed
      Given the librarian has the print book "Iron and Ice: The Hudson River Ice Trade" in the Harrassowitz cart
      And the simulator answers every Create PO line with Alma's error 402459 "Vendor account is not active."
      When the librarian checks out the Harrassowitz cart
      Then the Harrassowitz cart reports the order as refused by Alma with error 402459 "Vendor account is not active."
      When the librarian checks out the Harrassowitz cart again with the same title
      Then the Harrassowitz cart reports the order as refused by Alma with error 402459 "Vendor account is not active."
      When the QA lead removes the simulator's stubs
      And the librarian checks out the Harrassowitz cart again with the same title
      Then Alma answers with a new PO line number
      And the simulator has no stubs left
      And the simulator's journal shows the order answered by the simulated Alma
      And the simulator's journal shows 2 Create PO line calls answered by a stub
