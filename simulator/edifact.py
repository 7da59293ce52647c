"""EDIFACT messages of the book trade as Alma exchanges them with vendors (EANCOM, directory D.96A): INVOIC
(an invoice, vendor → Alma), ORDCHG (a cancelled PO line, Alma → vendor) and OSTENQ (a claim, Alma → vendor),
read and written with pydifact.

This module owns the *format* only: plain dataclasses in, interchange text out, and back. It knows nothing of
Alma's world, so Alma's side (`simulator.alma.edi`) and a vendor's side can both use it. Reading is strict: an
interchange that pydifact cannot parse, a message whose UNT count disagrees with its segments, a missing
invoice number, date, total or line amount, or an amount that is not a number raises `EdifactError` naming the
message and segment — a caller refuses such a file whole. Imports pydifact and the standard library.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pydifact.exceptions import EDISyntaxError
from pydifact.parser import Parser
from pydifact.segmentcollection import Interchange, Message
from pydifact.segments import Segment

INVOIC = ("INVOIC", "D", "96A", "UN", "EAN008")
ORDCHG = ("ORDCHG", "D", "96A", "UN", "EAN008")
OSTENQ = ("OSTENQ", "D", "96A", "UN", "EAN008")  # a claim (Developer Network, "EDI: Claims")
SYNTAX = ("UNOC", 3)


class EdifactError(ValueError):
    """The interchange is malformed; the message says where."""


@dataclass(kw_only=True)
class InvoicLine:
    """One LIN group: quantity (QTY+47), line amount (MOA+203), unit price (PRI+AAB) and the references that
    link it to an order: RFF+LI (the buyer's PO line number), RFF+SLI (the vendor's own order line reference),
    RFF+SNA (a continuous order's subscription reference)."""

    number: str
    quantity: int = 1
    amount: Decimal | None = None
    unit_price: Decimal | None = None
    po_line: str = ""
    vendor_reference: str = ""
    subscription_reference: str = ""
    title: str = ""
    note: str = ""

    @property
    def price(self) -> Decimal:
        """The line's amount: MOA+203, else unit price × quantity."""
        if self.amount is not None:
            return self.amount
        return (self.unit_price or Decimal(0)) * self.quantity


@dataclass(kw_only=True)
class InvoicMessage:
    """One invoice: BGM number, DTM+137 date (ISO), CUX currency, NAD buyer and supplier, the invoicing period
    of a continuous order (DTM+194 / DTM+206), its lines and the total amount due (MOA+9, else MOA+86, else
    MOA+77)."""

    number: str
    date: str
    total: Decimal
    currency: str = ""
    buyer: str = ""
    supplier: str = ""
    period_start: str = ""
    period_end: str = ""
    lines: list[InvoicLine] = field(default_factory=list)


@dataclass(kw_only=True)
class OrdchgMessage:
    """A cancellation request for one PO line (Alma sends one message per line): RFF+LI is the PO line number."""

    reference: str
    date: str
    buyer: str
    supplier: str
    po_line: str
    title: str = ""
    author: str = ""
    publisher: str = ""
    note: str = ""


@dataclass(kw_only=True)
class OstenqMessage:
    """A claim for one PO line (Alma sends one message per claim): BGM 92E (monograph) or 92J (serial) with the
    PO line number, the identifier (PIA+5, IB = ISBN, IS = ISSN), title, author, publisher, the quantity ordered
    (QTY+21) and RFF+LI, the PO line number."""

    reference: str
    date: str
    buyer: str
    supplier: str
    po_line: str
    serial: bool = False
    identifier: str = ""
    identifier_type: str = ""  # IB | IS
    title: str = ""
    author: str = ""
    publisher: str = ""
    quantity: int = 1


@dataclass(kw_only=True)
class Interchanged:
    """What an interchange carried: its sender, recipient and messages."""

    sender: str
    recipient: str
    invoices: list[InvoicMessage] = field(default_factory=list)
    cancellations: list[OrdchgMessage] = field(default_factory=list)
    claims: list[OstenqMessage] = field(default_factory=list)


@contextmanager
def _quiet() -> Iterator[None]:
    """pydifact warns when it has no segment directory for a version; we check the segments we read ourselves."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


# ---------------------------------------------------------------- reading ---------------------------------------


@dataclass
class _Raw:
    """One UNH … UNT message as it stands in the file."""

    reference: str
    type: str
    segments: list[Segment]  # between UNH and UNT
    trailer: Segment | None


def read(text: str) -> Interchanged:
    """Every INVOIC and ORDCHG message of an interchange; anything malformed raises EdifactError. The envelope
    is checked from the file itself (pydifact's containers craft their own UNT/UNZ): UNB first, UNZ last with
    the number of messages, each UNT with the number of its message's segments."""
    if not text or not text.strip():
        raise EdifactError("the file is empty")
    try:
        with _quiet():
            segments = [seg for seg in Parser().parse(text.strip()) if seg.tag != "UNA"]
    except (EDISyntaxError, ValueError, IndexError, TypeError, AttributeError) as exc:
        raise EdifactError(f"not an EDIFACT interchange: {exc}") from None
    if not segments or segments[0].tag != "UNB":
        raise EdifactError("not an EDIFACT interchange: it does not start with UNB")
    if segments[-1].tag != "UNZ":
        raise EdifactError("the interchange ends without its UNZ trailer: the file is truncated")
    header, trailer = segments[0], segments[-1]
    messages: list[_Raw] = []
    current: _Raw | None = None
    for position, segment in enumerate(segments[1:-1], 2):
        if segment.tag == "UNH":
            if current is not None:
                raise EdifactError(f"segment {position}: UNH before the UNT of message {current.reference}")
            current = _Raw(reference=_element(segment, 0), type=_element(segment, 1, 0), segments=[], trailer=None)
        elif segment.tag == "UNT":
            if current is None:
                raise EdifactError(f"segment {position}: UNT without its UNH")
            current.trailer = segment
            messages.append(current)
            current = None
        elif current is None:
            raise EdifactError(f"segment {position} ({segment.tag}) stands outside any message")
        else:
            current.segments.append(segment)
    if current is not None:
        raise EdifactError(f"message {current.reference} has no UNT: the file is truncated")
    if not messages:
        raise EdifactError("the interchange holds no message (no UNH … UNT)")
    if _element(trailer, 0) != str(len(messages)):
        raise EdifactError(f"UNZ counts {_element(trailer, 0) or 'nothing'} messages, the interchange holds "
                           f"{len(messages)}")
    result = Interchanged(sender=_element(header, 1, 0), recipient=_element(header, 2, 0))
    for position, message in enumerate(messages, 1):
        where = f"message {position} ({message.reference})"
        _check_count(message, where)
        if message.type == "INVOIC":
            result.invoices.append(_read_invoice(message, where))
        elif message.type == "ORDCHG":
            result.cancellations.append(_read_ordchg(message, where))
        elif message.type == "OSTENQ":
            result.claims.append(_read_ostenq(message, where))
        else:
            raise EdifactError(f"{where}: a {message.type or 'untyped'} message, not INVOIC, ORDCHG or OSTENQ")
    return result


def _element(segment: Segment, index: int, component: int | None = None) -> str:
    elements = segment.elements
    if index >= len(elements):
        return ""
    value = elements[index]
    if isinstance(value, list):
        if component is None:
            component = 0
        return str(value[component]) if component < len(value) and value[component] is not None else ""
    if component not in (None, 0):
        return ""
    return "" if value is None else str(value)


def _check_count(message: _Raw, where: str) -> None:
    trailer = message.trailer
    counted = len(message.segments) + 2  # UNH and UNT count themselves
    if trailer is None or _element(trailer, 0) != str(counted):
        stated = _element(trailer, 0) if trailer is not None else "nothing"
        raise EdifactError(f"{where}: UNT counts {stated} segments, the message has {counted}")


def _amount(raw: str, where: str) -> Decimal:
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        raise EdifactError(f"{where}: {raw!r} is not an amount") from None
    if not value.is_finite():
        raise EdifactError(f"{where}: {raw!r} is not an amount")
    return value


def _date(raw: str, fmt: str, where: str) -> str:
    """CCYYMMDD (102) → ISO; CCYYMM (610) → the month's first day [decision]."""
    try:
        if fmt == "610" or len(raw) == 6:
            return dt.date(int(raw[:4]), int(raw[4:6]), 1).isoformat()
        return dt.datetime.strptime(raw, "%Y%m%d").date().isoformat()
    except ValueError:
        raise EdifactError(f"{where}: {raw!r} is not a date") from None


def _read_invoice(message: _Raw, where: str) -> InvoicMessage:
    number = date = currency = buyer = supplier = start = end = ""
    totals: dict[str, Decimal] = {}
    lines: list[InvoicLine] = []
    line: InvoicLine | None = None
    summary = False
    for index, segment in enumerate(message.segments, 2):
        at = f"{where}, segment {index} ({segment.tag})"
        tag = segment.tag
        if tag == "BGM":
            number = _element(segment, 1)
        elif tag == "DTM":
            qualifier, raw, fmt = _element(segment, 0, 0), _element(segment, 0, 1), _element(segment, 0, 2)
            if qualifier == "137" and line is None:
                date = _date(raw, fmt, at)
            elif qualifier == "194":
                start = _date(raw, fmt, at)
            elif qualifier == "206":
                end = _date(raw, fmt, at)
        elif tag == "CUX":
            currency = _element(segment, 0, 1)
        elif tag == "NAD":
            party = _element(segment, 1, 0)
            if _element(segment, 0) == "BY":
                buyer = party
            elif _element(segment, 0) == "SU":
                supplier = party
        elif tag == "LIN":
            if summary:
                raise EdifactError(f"{at}: a line after the summary (UNS)")
            line = InvoicLine(number=_element(segment, 0) or str(len(lines) + 1))
            lines.append(line)
        elif tag == "UNS":
            summary, line = True, None
        elif tag == "QTY" and line is not None:
            raw = _element(segment, 0, 1)
            if not raw.isdigit():
                raise EdifactError(f"{at}: {raw!r} is not a quantity")
            line.quantity = int(raw)
        elif tag == "PRI" and line is not None:
            line.unit_price = _amount(_element(segment, 0, 1), at)
        elif tag == "MOA":
            qualifier, raw = _element(segment, 0, 0), _element(segment, 0, 1)
            if line is not None and qualifier == "203":
                line.amount = _amount(raw, at)
            elif line is None and qualifier in ("9", "86", "77", "79"):
                totals[qualifier] = _amount(raw, at)
        elif tag == "RFF" and line is not None:
            qualifier, value = _element(segment, 0, 0), _element(segment, 0, 1)
            if qualifier == "LI":
                line.po_line = value
            elif qualifier == "SLI":
                line.vendor_reference = value
            elif qualifier == "SNA":
                line.subscription_reference = value
        elif tag == "IMD" and line is not None:
            line.title = line.title or _element(segment, 2, 3)
        elif tag == "FTX" and line is not None:
            line.note = _element(segment, 3, 0)
    if not number:
        raise EdifactError(f"{where}: no invoice number (BGM)")
    if not date:
        raise EdifactError(f"{where}: invoice {number} has no invoice date (DTM+137)")
    if not lines:
        raise EdifactError(f"{where}: invoice {number} has no line (LIN)")
    for line in lines:
        if line.amount is None and line.unit_price is None:
            raise EdifactError(f"{where}: invoice {number} line {line.number} has no amount (MOA+203 or PRI)")
    total = next((totals[q] for q in ("9", "86", "77") if q in totals), None)
    if total is None:
        raise EdifactError(f"{where}: invoice {number} has no total (MOA+9, MOA+86 or MOA+77)")
    return InvoicMessage(number=number, date=date, total=total, currency=currency, buyer=buyer, supplier=supplier,
                         period_start=start, period_end=end, lines=lines)


def _read_ordchg(message: _Raw, where: str) -> OrdchgMessage:
    fields: dict[str, str] = {"reference": message.reference, "date": "", "buyer": "", "supplier": "",
                              "po_line": "", "title": "", "author": "", "publisher": "", "note": ""}
    for index, segment in enumerate(message.segments, 2):
        at = f"{where}, segment {index} ({segment.tag})"
        if segment.tag == "DTM" and _element(segment, 0, 0) == "137":
            fields["date"] = _date(_element(segment, 0, 1), _element(segment, 0, 2), at)
        elif segment.tag == "NAD":
            key = {"BY": "buyer", "SU": "supplier"}.get(_element(segment, 0))
            if key:
                fields[key] = _element(segment, 1, 0)
        elif segment.tag == "RFF" and _element(segment, 0, 0) == "LI":
            fields["po_line"] = _element(segment, 0, 1)
        elif segment.tag == "IMD":
            key = {"050": "title", "009": "author", "109": "publisher"}.get(_element(segment, 1))
            if key:
                fields[key] = _element(segment, 2, 3)
        elif segment.tag == "FTX":
            fields["note"] = _element(segment, 3, 0)
    if not fields["po_line"]:
        raise EdifactError(f"{where}: a cancellation without its PO line (RFF+LI)")
    return OrdchgMessage(**fields)


def _read_ostenq(message: _Raw, where: str) -> OstenqMessage:
    claim = OstenqMessage(reference=message.reference, date="", buyer="", supplier="", po_line="")
    for index, segment in enumerate(message.segments, 2):
        at = f"{where}, segment {index} ({segment.tag})"
        if segment.tag == "BGM":
            claim.serial = _element(segment, 0, 0) == "92J"
        elif segment.tag == "DTM" and _element(segment, 0, 0) == "137":
            claim.date = _date(_element(segment, 0, 1), _element(segment, 0, 2), at)
        elif segment.tag == "NAD" and _element(segment, 0) in ("BY", "SU"):
            setattr(claim, "buyer" if _element(segment, 0) == "BY" else "supplier", _element(segment, 1, 0))
        elif segment.tag == "PIA":
            claim.identifier, claim.identifier_type = _element(segment, 1, 0), _element(segment, 1, 1)
        elif segment.tag == "IMD":
            key = {"050": "title", "009": "author", "109": "publisher"}.get(_element(segment, 1))
            if key:
                setattr(claim, key, _element(segment, 2, 3))
        elif segment.tag == "QTY" and _element(segment, 0, 0) == "21":
            quantity = _element(segment, 0, 1)
            if not quantity.isdigit():
                raise EdifactError(f"{at}: the quantity {quantity!r} is not a whole number")
            claim.quantity = int(quantity)
        elif segment.tag == "RFF" and _element(segment, 0, 0) == "LI":
            claim.po_line = _element(segment, 0, 1)
    if not claim.po_line:
        raise EdifactError(f"{where}: a claim without its PO line (RFF+LI)")
    return claim


# ---------------------------------------------------------------- writing ---------------------------------------


def _iso_to_edi(day: str) -> str:
    return day.rstrip("Z").replace("-", "")


def _number(value: Decimal) -> str:
    return f"{value:.2f}"


def _interchange(sender: str, recipient: str, control: str, when: dt.datetime) -> Interchange:
    return Interchange(sender=sender, recipient=recipient, control_reference=control, syntax_identifier=SYNTAX,
                       timestamp=when)


def _serialize(interchange: Interchange) -> str:
    with _quiet():
        return interchange.serialize(break_lines=True)


def write_invoices(invoices: list[InvoicMessage], *, sender: str, recipient: str, control: str,
                   when: dt.datetime) -> str:
    """An interchange of INVOIC messages, as a vendor sends them to Alma's EDI account."""
    interchange = _interchange(sender, recipient, control, when)
    with _quiet():
        for position, invoice in enumerate(invoices, 1):
            message = Message(str(position), INVOIC)
            message.add_segment(Segment("BGM", "380", invoice.number, "43"))
            message.add_segment(Segment("DTM", ["137", _iso_to_edi(invoice.date), "102"]))
            if invoice.period_start:
                message.add_segment(Segment("DTM", ["194", _iso_to_edi(invoice.period_start), "102"]))
            if invoice.period_end:
                message.add_segment(Segment("DTM", ["206", _iso_to_edi(invoice.period_end), "102"]))
            message.add_segment(Segment("NAD", "BY", [invoice.buyer or recipient, "", "91"]))
            message.add_segment(Segment("NAD", "SU", [invoice.supplier or sender, "", "92"]))
            if invoice.currency:
                message.add_segment(Segment("CUX", ["2", invoice.currency, "4"]))
            for line in invoice.lines:
                message.add_segment(Segment("LIN", line.number))
                if line.title:
                    message.add_segment(Segment("IMD", "F", "050", ["", "", "", line.title[:70]]))
                message.add_segment(Segment("QTY", ["47", str(line.quantity)]))
                message.add_segment(Segment("MOA", ["203", _number(line.price)]))
                if line.unit_price is not None:
                    message.add_segment(Segment("PRI", ["AAB", _number(line.unit_price)]))
                if line.po_line:
                    message.add_segment(Segment("RFF", ["LI", line.po_line]))
                if line.vendor_reference:
                    message.add_segment(Segment("RFF", ["SLI", line.vendor_reference]))
                if line.subscription_reference:
                    message.add_segment(Segment("RFF", ["SNA", line.subscription_reference]))
            message.add_segment(Segment("UNS", "S"))
            message.add_segment(Segment("CNT", ["2", str(len(invoice.lines))]))
            message.add_segment(Segment("MOA", ["9", _number(invoice.total)]))
            message.add_segment(Segment("MOA", ["79", _number(sum((l.price for l in invoice.lines), Decimal(0)))]))
            interchange.add_message(message)
    return _serialize(interchange)


def write_ordchg(cancellation: OrdchgMessage, *, sender: str, recipient: str, control: str,
                 when: dt.datetime) -> str:
    """One cancellation request (ORDCHG) for one PO line, as Alma sends it when "inform vendor" is ticked."""
    interchange = _interchange(sender, recipient, control, when)
    with _quiet():
        message = Message(cancellation.reference, ORDCHG)
        message.add_segment(Segment("BGM", "230", cancellation.reference, "4"))
        message.add_segment(Segment("DTM", ["137", _iso_to_edi(cancellation.date), "102"]))
        message.add_segment(Segment("NAD", "BY", [cancellation.buyer, "", "9"]))
        message.add_segment(Segment("NAD", "SU", [cancellation.supplier, "", "9"]))
        message.add_segment(Segment("LIN", "1"))
        for code, text in (("009", cancellation.author), ("050", cancellation.title),
                           ("109", cancellation.publisher)):
            if text:
                message.add_segment(Segment("IMD", "L", code, ["", "", "", text[:70]]))
        message.add_segment(Segment("RFF", ["LI", cancellation.po_line]))
        if cancellation.note:
            message.add_segment(Segment("FTX", "LIN", "", "", cancellation.note[:70]))
        message.add_segment(Segment("UNS", "S"))
        interchange.add_message(message)
    return _serialize(interchange)


def write_ostenq(claim: OstenqMessage, *, sender: str, recipient: str, control: str, when: dt.datetime) -> str:
    """One claim (OSTENQ) for one PO line, as Alma's claiming job sends it to a vendor that takes EDI claims."""
    interchange = _interchange(sender, recipient, control, when)
    with _quiet():
        message = Message(claim.reference, OSTENQ)
        message.add_segment(Segment("BGM", ["92J" if claim.serial else "92E", "", "9"], claim.po_line, "9"))
        message.add_segment(Segment("DTM", ["137", _iso_to_edi(claim.date), "102"]))
        message.add_segment(Segment("NAD", "BY", [claim.buyer, "", "9"]))
        message.add_segment(Segment("NAD", "SU", [claim.supplier, "", "9"]))
        message.add_segment(Segment("LIN", "1"))
        if claim.identifier:
            message.add_segment(Segment("PIA", "5", [claim.identifier, claim.identifier_type]))
        for code, text in (("009", claim.author), ("050", claim.title), ("109", claim.publisher)):
            if text:
                message.add_segment(Segment("IMD", "L", code, ["", "", "", text[:70]]))
        message.add_segment(Segment("QTY", ["21", str(claim.quantity)]))
        message.add_segment(Segment("RFF", ["LI", claim.po_line]))
        message.add_segment(Segment("UNS", "S"))
        interchange.add_message(message)
    return _serialize(interchange)


__all__ = ["EdifactError", "Interchanged", "InvoicLine", "InvoicMessage", "OrdchgMessage", "OstenqMessage", "read",
           "write_invoices", "write_ordchg", "write_ostenq"]
