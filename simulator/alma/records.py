"""MARC records: how a bibliographic record's fields become MARC 21 (and back), and a holding's MARC.

Owns the MARC side of the catalogue, built with pymarc. A catalogue keeps a million records, so no pymarc
`Record` is kept in memory: a record built from an order or from seed data keeps its fields on the `Bib`
(title, ISBNs …) and its MARC is built when it is read; a record a cataloguer overlaid (PUT) or created (POST)
from MARCXML keeps that MARCXML as one string on the `Bib` (`Bib.marc`), and its fields are read out of it
so that matching and Alma's top-level bib fields follow the new record.

MARC built here (MARC 21 bibliographic, Alma's conventions):
leader (record status n, type a, level m or s, Unicode, encoding level from the metadata template: 3 for a
brief record), 001 the MMS ID, 005 the last change, 008 (date entered, publication year, language),
020 $a every ISBN, 022 $a ISSN, 035 $a other system and vendor numbers plus the 035 Alma adds for a record
linked to the Network Zone `(EXLNZ-<network>)<mms id>`, 100 $a author, 245 $a title, 264 _1 $a place $b
publisher $c date, 590 $a local notes. A holding: leader `nx`, 001 the holding ID, 852 $b library $c location.
Imports pymarc, the domain model, simulator.clock, simulator.errors and simulator.identifiers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from xml.etree import ElementTree

import pymarc
from pymarc import Field, Indicators, Record, Subfield

from simulator.alma.model import World
from simulator.alma.model.catalogue import Bib, Holding, Zone
from simulator.clock import Clock, alma_date
from simulator.errors import IllegalValue, NotFound
from simulator.identifiers import clean_identifier, format_issn

#: What Alma puts before the `<record>` in a bib's `anies` string (captured answers, conformance.md §5.1).
ANIES_DECLARATION = '<?xml version="1.0" encoding="UTF-16"?>'

#: When the records loaded with the seed data read as created (Alma dates and MARC 005/008 follow it).
SEEDED_DATE = "2024-01-01Z"

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SPLIT_IDENTIFIERS = re.compile(r"\s*[;,]\s*")
_NETWORK_035 = re.compile(r"^\((EXLNZ|EXLCZ)[^)]*\)")


def xml_text(text: str) -> str:
    """Text as XML 1.0 can carry it: characters XML forbids (controls, lone surrogates) become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _sub(code: str, value: str) -> Subfield:
    return Subfield(code=code, value=xml_text(value))


def _data(tag: str, ind: tuple[str, str], *subfields: tuple[str, str]) -> Field:
    return Field(tag=tag, indicators=Indicators(*ind), subfields=[_sub(c, v) for c, v in subfields if v])


def _stamp(alma_date: str) -> str:
    """A 005 value (yyyymmddhhmmss.f) from an Alma date (2026-09-01Z)."""
    day = (alma_date or SEEDED_DATE).rstrip("Z").replace("-", "")
    return f"{day}000000.0"


def isbn_texts(bib: Bib) -> list[str]:
    """Every ISBN a record carries, one per 020: several sent in one field ("a; b") are split."""
    return [part for raw in bib.isbns for part in _SPLIT_IDENTIFIERS.split(raw.strip()) if part]


def issn_text(issn: str) -> str:
    """An ISSN as it is written (0317-8471), whether kept cleaned or as sent."""
    return format_issn(issn) if len(issn) == 8 and "-" not in issn else issn


def identifiers_in(text: str) -> list[str]:
    """Every ISBN (or ISSN) in a field as sent, each cleaned: "978-0-8203-4752-3 (hbk.); 0820347523" gives two."""
    text = text or ""
    if ";" not in text and "," not in text and len(text.split()) <= 1:
        # one word and no separator (most fields): one part of one token, cleaned as a whole, as the loop below does
        code = clean_identifier(text)
        return [code] if code else []
    found: list[str] = []
    for part in _SPLIT_IDENTIFIERS.split(text):
        tokens = [clean_identifier(t) for t in part.split()]
        whole = [t for t in tokens if len(t) in (8, 10, 13)]
        for code in (whole if len(whole) > 1 else [clean_identifier(part)]):
            if code and code not in found:
                found.append(code)
    return found


def network_035(bib: Bib, network_code: str) -> list[str]:
    """The 035 $a Alma adds to a record linked to the Network Zone."""
    return [f"(EXLNZ-{network_code}){bib.network_mms_id}"] if bib.network_mms_id and network_code else []


def bib_record(bib: Bib, network_code: str = "") -> Record:
    """The record's MARC: its stored MARCXML when a cataloguer gave one, else built from its fields."""
    if bib.marc:
        record = read_marcxml(bib.marc)
        _control(record, bib)
        return record
    serial = bool(bib.issns) and not bib.isbns
    form = " " if bib.brief else "i"
    record = Record(leader=f"00000na{'s' if serial else 'm'} a2200000{bib.encoding_level or ' '}{form} 4500",
                    force_utf8=True)
    year = (bib.publication_year or "")[:4]
    entered = (bib.created or SEEDED_DATE).rstrip("Z").replace("-", "")[2:8]
    dates = f"s{year:<4}    " if year.isdigit() and len(year) == 4 else "nuuuu    "
    language = (bib.language or "und")[:3].ljust(3)
    record.add_ordered_field(Field(tag="001", data=bib.mms_id))
    record.add_ordered_field(Field(tag="005", data=_stamp(bib.modified or bib.created)))
    record.add_ordered_field(Field(tag="008", data=f"{entered}{dates}xx {' ' * 17}{language} d"))
    for isbn in isbn_texts(bib):
        record.add_ordered_field(_data("020", (" ", " "), ("a", isbn)))
    for issn in bib.issns:  # as ISSNs are written: 0317-8471
        record.add_ordered_field(_data("022", (" ", " "), ("a", issn_text(issn))))
    for number in [*bib.system_numbers, *bib.vendor_title_numbers, *network_035(bib, network_code)]:
        record.add_ordered_field(_data("035", (" ", " "), ("a", number)))
    if bib.author:
        record.add_ordered_field(_data("100", ("1", " "), ("a", bib.author)))
    record.add_ordered_field(_data("245", ("1" if bib.author else "0", "0"), ("a", bib.title)))
    if bib.publication_place or bib.publisher or bib.publication_year:
        record.add_ordered_field(_data("264", (" ", "1"), ("a", bib.publication_place), ("b", bib.publisher),
                                       ("c", bib.publication_year)))
    for note in bib.local_notes:
        record.add_ordered_field(_data("590", (" ", " "), ("a", note)))
    return record


def _control(record: Record, bib: Bib) -> None:
    """001 and 005 are Alma's: the MMS ID and the last change, whatever the cataloguer sent."""
    for tag in ("001", "005"):
        for old in record.get_fields(tag):
            record.remove_field(old)
    record.add_ordered_field(Field(tag="001", data=bib.mms_id))
    record.add_ordered_field(Field(tag="005", data=_stamp(bib.modified or bib.created)))


def holding_record(holding: Holding) -> Record:
    record = Record(leader="00000nx  a2200000un 4500", force_utf8=True)
    record.add_ordered_field(Field(tag="001", data=holding.id))
    record.add_ordered_field(_data("852", ("8", " "), ("b", holding.library), ("c", holding.location)))
    return record


def to_marcxml(record: Record) -> str:
    """The `<record>` element without the MARC namespace, as Alma embeds it."""
    return ElementTree.tostring(pymarc.record_to_xml_node(record, namespace=False), encoding="unicode")


def anies(record: Record) -> list[str]:
    """Alma's JSON `anies`: one string, the XML declaration Alma writes and then the `<record>`."""
    return [ANIES_DECLARATION + to_marcxml(record)]


# ---------------------------------------------------------------- reading a cataloguer's record ----------------


#: Alma's codes (bibs.json) for a record it cannot read: on PUT /bibs/{mms_id} "The record failed validation
#: (with specified error)", on POST /bibs "Given bib xml is invalid".
INVALID_ON_PUT = "4022032"
INVALID_ON_POST = "402209"


def read_marcxml(text: str, code: str = INVALID_ON_PUT) -> Record:
    """One MARCXML `<record>` (with or without the MARC namespace, or inside a `<collection>`)."""
    if not text.strip():
        raise IllegalValue("The record failed validation: the bib holds no MARC record.", code=code)
    try:
        found = pymarc.parse_xml_to_array(io.StringIO(text), strict=False)
    except Exception as exc:  # pymarc raises plain SAX and value errors for a broken record
        raise IllegalValue(f"The record failed validation: it is not MARCXML ({exc}).", code=code) from None
    found = [r for r in found if r is not None]
    if len(found) != 1:
        raise IllegalValue(f"The record failed validation: one MARC record is expected, {len(found)} were sent.",
                           code=code)
    return found[0]


def _values(record: Record, tag: str, code: str) -> list[str]:
    return [v.strip() for f in record.get_fields(tag) for v in f.get_subfields(code) if v.strip()]


def _first(values: Iterable[str]) -> str:
    return next(iter(values), "")


def overlay(bib: Bib, record: Record, modified: str, code: str = INVALID_ON_PUT) -> None:
    """Make `bib` the cataloguer's record: its MARC is kept, its fields read from it, and it stops being
    brief. Vendor title numbers stay: the PO lines that carry them still point at this record."""
    if not _values(record, "245", "a"):
        raise IllegalValue("The record failed validation: 245 $a (the title) is missing.", code=code)
    record.leader = pymarc.Leader(str(record.leader)) if record.leader else pymarc.Leader("00000nam a2200000 i 4500")
    bib.title = _first(_values(record, "245", "a"))
    bib.author = _first([*_values(record, "100", "a"), *_values(record, "110", "a"), *_values(record, "111", "a")])
    bib.isbns = _values(record, "020", "a")
    bib.issns = _values(record, "022", "a")
    publication = [*record.get_fields("264"), *record.get_fields("260")]
    bib.publication_place = _first(v.strip() for f in publication for v in f.get_subfields("a") if v.strip())
    bib.publisher = _first(v.strip() for f in publication for v in f.get_subfields("b") if v.strip())
    bib.publication_year = _first(v.strip() for f in publication for v in f.get_subfields("c") if v.strip())
    bib.system_numbers = [n for n in _values(record, "035", "a")
                          if not _NETWORK_035.match(n) and n not in bib.vendor_title_numbers]
    bib.local_notes = _values(record, "590", "a")
    leader = str(record.leader)
    bib.encoding_level = leader[17] if len(leader) > 17 else " "
    bib.brief = False
    bib.modified = modified
    for tag in ("001", "005"):
        for old in record.get_fields(tag):
            record.remove_field(old)
    bib.marc = to_marcxml(record)


# ---------------------------------------------------------------- the cataloguer's actions ----------------------


def overlay_record(world: World, institution_code: str, mms_id: str, marcxml: str, clock: Clock) -> Bib:
    """PUT /bibs/{mms_id}: the cataloguer's full record replaces the record's MARC. The record stops being
    brief; its MMS ID stays, so its PO lines, holdings, items and portfolios stay linked to it."""
    institution = world.institution(institution_code)
    record = read_marcxml(marcxml)
    with institution.lock:
        if mms_id not in institution.catalogue.bibs:
            raise NotFound(f"Input parameters mmsId {mms_id} is not valid.", code="402203")
        today = alma_date(clock.now())
        return institution.catalogue.change(mms_id, lambda bib: overlay(bib, record, today))


def create_record(world: World, institution_code: str, marcxml: str, clock: Clock) -> Bib:
    """POST /bibs: a new institution record from the cataloguer's MARCXML."""
    institution = world.institution(institution_code)
    record = read_marcxml(marcxml, INVALID_ON_POST)
    with institution.lock:
        today = alma_date(clock.now())
        bib = Bib(mms_id="", zone=Zone.INSTITUTION, title="", created=today)
        overlay(bib, record, today, INVALID_ON_POST)
        bib.mms_id = institution.new_id("99")
        return institution.catalogue.add(bib)
