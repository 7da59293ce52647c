@seeded
Feature: Verifying the calls a vendor's integration made (verification)
  As a vendor's QA lead testing our integration with Alma, in any language
  I want to ask how many calls of a kind our integration made, and be told which calls came nearest when none matched
  So that a test can say "exactly two orders for GOBI, no cancellation" and explain itself when it fails

  This is one of the simulator's own tools, not Alma behaviour: a real Alma keeps no such journal for the vendor.
  The simulator journals every call it received (README, "Verification"); the admin API counts the calls that meet
  every criterion (GET /almasim/v1/admin/journal/count) and verifies an expected number of them (POST
  /almasim/v1/admin/journal/verify). The criteria are the method, the path, query parameters, the vendor and PO
  line the call was about, the status, Alma's error code and the outcome (answered, refused, dropped, stubbed).
  When the expected calls are not there, the answer names the nearest calls — those that meet most criteria but
  not all — and says for each what differs: a near miss.

  Background:
    Given Hudson Valley University is set up for real-time ordering

  Rule: The journal counts the calls that meet every criterion

    Scenario: Two orders through GOBI are exactly two Create PO line calls for GOBI, and none for Oasis
      Given the librarian has ordered the print book "Quarry Towns of the Hudson Highlands" through GOBI
      And the librarian has ordered the print book "Iron and Ice: The Hudson River Ice Trade" through GOBI
      Then the vendor's integration made exactly 2 Create PO line calls for GOBI
      And the vendor's integration never called Create PO line for Oasis
      And the vendor's integration never cancelled a PO line

  Rule: When no call matches, the nearest calls are named with what differs

    Scenario: The right integration profile is verified
      Given the librarian has ordered the print book "Quarry Towns of the Hudson Highlands" through GOBI
      When the QA lead verifies one Create PO line call for GOBI naming the integration profile "GOBI_API"
      Then the verification holds

    Scenario: A wrong query parameter is a near miss, and the verification says what differs
      Given the librarian has ordered the print book "Quarry Towns of the Hudson Highlands" through GOBI
      When the QA lead verifies one Create PO line call for GOBI naming the integration profile "OASIS_API"
      Then the verification fails, saying the journal has 0 such calls
      And the nearest call is the cart's Create PO line, which differs in: query has profile_code=GOBI_API
