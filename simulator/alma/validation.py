"""Validation exception profiles (seed 001, "Handle invalid data using"): what happens to an order whose
metadata is invalid, for example an ISBN with a wrong check digit.

Every policy is a named entry of `VALIDATION_EXCEPTION_PROFILES`; users register their own. The default,
"MarcXML Bib Import", keeps the record and raises an alert that sends the PO line to In Review [decision];
"Strict" refuses the order (401872); "Ignore" keeps the record silently.
Imports model, registry, simulator.identifiers and simulator.errors.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.alma.model import ResourceMetadata
from simulator.alma.registry import Registry
from simulator.identifiers import is_valid_isbn, is_valid_issn


@dataclass(frozen=True)
class ValidationExceptionProfile:
    name: str
    on_invalid: str  # "alert" | "reject" | "ignore"
    description: str


VALIDATION_EXCEPTION_PROFILES: Registry[ValidationExceptionProfile] = Registry("validation exception profile")

for _profile in (
    ValidationExceptionProfile(name="MarcXML Bib Import", on_invalid="alert",
                               description="Keep the record; raise an alert and send the PO line to In Review."),
    ValidationExceptionProfile(name="Strict", on_invalid="reject",
                               description="Refuse the order; nothing is created."),
    ValidationExceptionProfile(name="Ignore", on_invalid="ignore",
                               description="Keep the record without an alert."),
):
    VALIDATION_EXCEPTION_PROFILES.add(_profile.name, _profile)


def metadata_problems(record: ResourceMetadata) -> list[str]:
    """What is invalid in an order's metadata, each as a sentence naming the value."""
    problems = []
    if record.isbn and not is_valid_isbn(record.isbn):
        problems.append(f"ISBN {record.isbn} is not valid (wrong length or check digit)")
    if record.issn and not is_valid_issn(record.issn):
        problems.append(f"ISSN {record.issn} is not valid (wrong length or check digit)")
    year = record.publication_year
    if year and not (len(year) == 4 and year.isdigit()):
        problems.append(f"publication year {year!r} is not a four-digit year")
    return problems


