@seeded @over_http
Feature: Recording a vendor's calls to one Alma and replaying them against another (record and replay)
  As a vendor's engineer or QA lead, in any language
  I want to record what our integration sent to one Alma and what it answered, then send the same calls to another
  So that I learn, in library words, whether our integration behaves the same against the simulator as against a
  customer's sandbox

  This is one of the simulator's own tools, not Alma behaviour (README, "For vendors in any language"). `almasim
  record` is a proxy: the vendor's connector is pointed at it, with any API key; it forwards every call to the
  target Alma with the target's key and writes each exchange to a recording, without any key. `almasim replay`
  sends the recording's calls to another Alma with that Alma's key and reports what differs: the status, Alma's
  error codes, the PO line's status, its alerts, the matched record, the portfolio source. Numbers each Alma hands
  out itself (PO line numbers, MMS IDs) are learned, not reported.

  Decision of the simulator's features: no real Alma is needed here. The first Alma is the simulator itself and
  the second is a fresh copy of the same institution on it (a tenant of the admin API). The tools talk to an Alma
  over HTTP, so these scenarios run on the server backend only (`--alma-backend=server`); on the in-process and
  mocked backends, which have no address, they are skipped with that reason. The difference in the second
  scenario is made with a stub on the second Alma, standing for a customer's Alma that refuses the order.

  Background:
    Given Hudson Valley University is set up for real-time ordering
    And a second simulated Alma, a fresh copy of the institution
    And the librarian has the print book "Quarry Towns of the Hudson Highlands" in the GOBI cart
    And the recording proxy stands between the cart and Alma

  Scenario: The recording keeps every call, and a replay against an identical Alma reports no differences
    When the librarian checks out the GOBI cart
    And the recording is stopped
    Then Alma answers with a new PO line number
    And the recording holds every call the cart made to Alma, in order, and no API key
    When the QA lead replays the recording against the second simulated Alma
    Then the replay reports no differences

  Scenario: A replay against an Alma that refuses the order reports the difference in library words
    Given the second simulated Alma answers every Create PO line with Alma's error 402459 "Vendor account is not active."
    When the librarian checks out the GOBI cart
    And the recording is stopped
    Then Alma answers with a new PO line number
    When the QA lead replays the recording against the second simulated Alma
    Then the replay reports that the Create PO line differs in its status: 200 recorded, 400 on replay
    And the replay reports that the Create PO line differs in its Alma error codes: none recorded, 402459 on replay
    And the replay reports no other difference than the Create PO line's
