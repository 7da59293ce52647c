"""Binds every scenario of every .feature file in this folder as a pytest test (written by `almasim init`)."""

from pytest_bdd import scenarios

scenarios(".")
