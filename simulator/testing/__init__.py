"""The test harness for users' own suites: the pytest plugin (`alma`, `mock_alma`), the evidence each test
leaves, and `almasim report`, the page that turns that evidence into something a librarian reads."""
