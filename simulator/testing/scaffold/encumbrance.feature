
  @$tag @seeded
  Scenario: The order encumbers its fund
    Given the fund "$fund" has 500.00 $currency available
    And the librarian has the print book "Iron and Ice: The Hudson River Ice Trade" in the $vendor cart for 45.00 $currency on "$fund"
    When the librarian checks out the $vendor cart
    Then the fund "$fund" has 455.00 $currency available
