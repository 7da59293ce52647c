"""Normalization of incoming order metadata, run before matching (seed 001, "Correct the data using").

The initial normalization always runs: spaces trimmed and folded, trailing ISBD punctuation stripped from
titles, ISBN/ISSN cleaned of hyphens, spaces and qualifiers such as "(pbk.)", the X check digit upper-cased.
Then the profile's chosen process from `NORMALIZATION_PROCESSES`, to which users add their own:

    @NORMALIZATION_PROCESSES.register("Add subject note")
    def add_subject_note(record: ResourceMetadata, context: NormalizationContext) -> None: ...

Imports model, registry and simulator.identifiers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from simulator.alma.model import NewOrderProfile, ResourceMetadata, Vendor
from simulator.alma.registry import Registry
from simulator.identifiers import clean_identifier

_SPACES = re.compile(r"\s+")
_TRAILING_ISBD = re.compile(r"[\s/:;,=.]+$")


@dataclass(frozen=True)
class NormalizationContext:
    vendor: Vendor | None
    profile: NewOrderProfile
    institution_code: str


NormalizationProcess = Callable[[ResourceMetadata, NormalizationContext], None]
NORMALIZATION_PROCESSES: Registry[NormalizationProcess] = Registry("normalization process")


def _fold(text: str) -> str:
    # the same as _SPACES.sub(" ", text).strip() (str.split and \s agree on whitespace), without a regex
    return " ".join(text.split()) if text else ""


_ISBD_ENDS = frozenset("/:;,=.")


def _strip_isbd(text: str) -> str:
    """Trailing ISBD punctuation and spaces stripped; a text ending otherwise (most do) is returned untouched."""
    if not text or (text[-1] not in _ISBD_ENDS and not text[-1].isspace()):
        return text
    return _TRAILING_ISBD.sub("", text)


def _fold_and_strip(text: str) -> str:
    """_strip_isbd(_fold(text)) in one step: a folded text never ends in a space, so only its last character's
    being ISBD punctuation sends it to the regular expression."""
    folded = " ".join(text.split())
    return _TRAILING_ISBD.sub("", folded) if folded and folded[-1] in _ISBD_ENDS else folded


def initial_normalization(record: ResourceMetadata) -> ResourceMetadata:
    """MARC 21 Bib Initial Normalization, as far as an order's metadata needs it. Returns a new record."""
    # every field is folded as _fold does it, written out here (ten calls an order saved); an empty field,
    # the common case for most of them, stays empty
    title = " ".join(record.title.split()) if record.title else ""
    stripped = _strip_isbd(title)
    author, isbn, issn = record.author, record.isbn, record.issn
    publisher, place, year = record.publisher, record.publication_place, record.publication_year
    vendor_title_number, mms_id = record.vendor_title_number, record.mms_id
    return ResourceMetadata(
        title=stripped or title,
        author=_fold_and_strip(author) if author.strip() else "",
        isbn=clean_identifier(isbn) if isbn.strip() else "",
        issn=clean_identifier(issn) if issn.strip() else "",
        publisher=_fold_and_strip(publisher) if publisher else "",
        publication_place=_fold_and_strip(place) if place else "",
        publication_year=" ".join(year.split()) if year else "",
        vendor_title_number=" ".join(vendor_title_number.split()) if vendor_title_number else "",
        system_control_numbers=([_fold(n) for n in record.system_control_numbers if _fold(n)]
                                if record.system_control_numbers else []),
        mms_id=" ".join(mms_id.split()) if mms_id else "",
        local_notes=list(record.local_notes) if record.local_notes else [],
    )


def normalize(record: ResourceMetadata, context: NormalizationContext) -> ResourceMetadata:
    result = initial_normalization(record)
    if context.profile.normalization:
        NORMALIZATION_PROCESSES.get(context.profile.normalization)(result, context)
    return result


def normalize_order(record: ResourceMetadata, vendor: Vendor | None, profile: NewOrderProfile,
                    institution_code: str) -> ResourceMetadata:
    """`normalize` for an order: the context is made only when the profile names a process that reads it."""
    result = initial_normalization(record)
    if profile.normalization:
        NORMALIZATION_PROCESSES.get(profile.normalization)(result, NormalizationContext(vendor, profile,
                                                                                        institution_code))
    return result


@NORMALIZATION_PROCESSES.register("Add vendor local note")
def add_vendor_local_note(record: ResourceMetadata, context: NormalizationContext) -> None:
    """Adds a local note (590) naming the ordering vendor to every record, so cataloguers can find
    brief records that arrived by real-time ordering."""
    vendor = context.vendor.name if context.vendor else "an unnamed vendor"
    record.local_notes.append(f"Ordered through {vendor} (real-time order)")


@NORMALIZATION_PROCESSES.register("Drop publisher and place")
def drop_publisher_and_place(record: ResourceMetadata, context: NormalizationContext) -> None:
    """Keeps brief records minimal: the overlay load that follows brings the full imprint."""
    record.publisher = ""
    record.publication_place = ""
