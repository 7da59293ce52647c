"""Step definitions, one module per domain noun; loaded by features/conftest.py through `pytest_plugins`."""
