"""Binds every scenario of every feature under features/ as a pytest test (titles become test names)."""

from pytest_bdd import scenarios

scenarios(".")
