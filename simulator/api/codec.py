"""Alma's wire format, and nothing else.

This module owns the bytes that cross the HTTP edge: which format a client asked for
(`negotiate`, `content_type`), how a request body becomes a plain dict (`parse_body`), how a
dict becomes Alma-shaped XML or JSON and back (`to_xml`, `to_xml_list`, `from_xml`,
`dumps_json`), and Alma's error envelope, `web_service_result` (`error_body`,
`parse_error_body`, `tracking_id`).

It knows Alma's *conventions* (coded fields carry their label in a `desc` attribute, repeating
groups get a plural wrapper in XML, lists carry `total_record_count`), never the meaning of a
field: which fields are mandatory, what a fund is, or that `quantity` is a number belongs to the
domain layer. Parsed XML therefore yields strings at the leaves.

XML conventions, JSON on the left:

    {"owner": {"value": "MAIN", "desc": "Main"}}     <owner desc="Main">MAIN</owner>
    {"location": [{...}, {...}]}                     <locations><location>…</location>…</locations>
    {"po_line": [...], "total_record_count": 2}      <po_lines total_record_count="2"><po_line>…
    {"price": {"sum": "5.00", "currency": ...}}      <price><sum>5.00</sum><currency>…</currency></price>
    {"rush": False}                                  <rush>false</rush>
    {"item_data": {…}, "link": "…"}  (an item)       <item link="…"><item_data>…</item_data></item>
    {"url": None} / {"url": ""} / {"cycle": {}}      <url></url>  (parsed back as "")

Inbound XML is parsed with defusedxml and any DTD or entity declaration is refused outright.
JSON is written by orjson (the same bytes as the standard library's compact, non-ASCII-kept output), with the
standard library as the fallback for what orjson does not take (integers over 64 bits, non-string keys).
JSON bodies are read by orjson too, the standard library reading what orjson refuses and any body with a run of 19
digits (`_parse_json`): the same values and the same refusals either way. A body that opens with `{` is read
straight from its bytes, without decoding it to text first (`_quick_json`).
Imports only the standard library, defusedxml, orjson and `simulator.errors`.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from decimal import Decimal
from functools import lru_cache
from typing import Any
from xml.etree.ElementTree import Element, ParseError, tostring

import orjson
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as _safe_fromstring

from simulator.errors import BodyNotFound, GeneralError

__all__ = [
    "ALMA_NAMESPACE",
    "JSON",
    "MAX_BODY_BYTES",
    "MAX_DEPTH",
    "REPEATING",
    "VERBATIM_ELEMENTS",
    "XML",
    "XML_DECLARATION",
    "content_type",
    "dumps_json",
    "error_body",
    "from_xml",
    "negotiate",
    "parse_body",
    "parse_error_body",
    "plural_of",
    "to_xml",
    "to_xml_list",
    "tracking_id",
]

JSON = "json"
XML = "xml"

#: Larger request bodies are refused before any parsing happens.
MAX_BODY_BYTES = 1_000_000
#: Deeper element or object nesting is refused; no Alma object comes close.
MAX_DEPTH = 64

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
ALMA_NAMESPACE = "http://com/exlibris/urm/general/xmlbeans"

#: Repeating groups: the JSON key (singular, holding an array) -> the XML wrapper element.
#: Children inside the wrapper use the singular name. Keys missing here fall back to
#: `plural_of`'s English rules; extend the table when a plural is irregular.
REPEATING: dict[str, str] = {
    "location": "locations",
    "copy": "copies",
    "note": "notes",
    "fund_distribution": "fund_distributions",
    "alert": "alerts",
    "interested_user": "interested_users",
    "holding": "holdings",
    "system_control_number": "system_control_numbers",
    "available_for_library": "available_for_libraries",
    "account": "accounts",
    "portfolio": "portfolios",
    "item": "items",
    "library": "libraries",
    "po_line": "po_lines",
    "fund": "funds",
    "vendor": "vendors",
    "bib": "bibs",
    "code_row": "code_rows",
    "error": "errors",
}

#: Elements that travel as opaque XML (a bib's MARC `<record>`). In JSON Alma lists them as
#: serialized strings under `anies`; in XML they are embedded verbatim.
VERBATIM_ELEMENTS = frozenset({"record"})
_ANIES = "anies"

_TOTAL = "total_record_count"
_CODED_KEYS = frozenset({"value", "desc", "link"})


# --------------------------------------------------------------------------- negotiation


@lru_cache(maxsize=256)  # a pure function of two header-like strings, asked on every call with the same few
def negotiate(accept: str | None, format_param: str | None) -> str:
    """The response format, "json" or "xml": `format=` wins, then Accept, then Alma's default XML."""
    if format_param:
        wanted = format_param.strip().lower()
        if wanted in (JSON, XML):
            return wanted
    if not accept:
        return XML
    return _from_accept(accept)


def _from_accept(accept: str) -> str:
    # For each format keep the most specific matching media range (RFC 9110 §12.5.1):
    # score = (q, specificity, -position); the higher score wins, ties go to XML.
    best: dict[str, tuple[float, int, int]] = {}
    for position, media_range in enumerate(accept.split(",")):
        media, _, params = media_range.partition(";")
        media = media.strip().lower()
        if not media:
            continue
        q = _quality(params)
        for fmt, specificity in _matches(media):
            current = best.get(fmt)
            if current is None or specificity > current[1]:
                best[fmt] = (q, specificity, -position)
    json_score = best.get(JSON, (0.0, 0, 0))
    xml_score = best.get(XML, (0.0, 0, 0))
    if json_score[0] > 0 and json_score > xml_score:
        return JSON
    return XML


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return 0.0
            return q if 0.0 <= q <= 1.0 else 0.0
    return 1.0


def _matches(media: str) -> list[tuple[str, int]]:
    """The formats a media range accepts, each with how specifically (2 exact, 1 type/*, 0 */*)."""
    if media == "*/*":
        return [(JSON, 0), (XML, 0)]
    if media == "application/*":
        return [(JSON, 1), (XML, 1)]
    if media == "text/*":
        return [(XML, 1)]
    if media in ("application/json", "text/json") or media.endswith("+json"):
        return [(JSON, 2)]
    if media in ("application/xml", "text/xml") or media.endswith("+xml"):
        return [(XML, 2)]
    return []


def content_type(fmt: str) -> str:
    """The Content-Type header Alma sends for a format (clients split on the `;`)."""
    if fmt == JSON:
        return "application/json;charset=UTF-8"
    if fmt == XML:
        return "application/xml;charset=UTF-8"
    raise ValueError(f"unknown wire format {fmt!r}")


# --------------------------------------------------------------------------- request bodies


def parse_body(body: bytes, content_type: str | None) -> dict[str, Any]:
    """A request body as a plain dict; refuses what Alma refuses, with Alma's codes.

    JSON is chosen by a json Content-Type or a body that opens with `{`; anything else is read
    as XML and the root element's name is dropped.
    """
    if len(body) > MAX_BODY_BYTES:
        raise GeneralError(f"General error. The request body is larger than {MAX_BODY_BYTES} bytes.")
    if body[:1] == b"{":  # the usual request: a JSON object from its first byte
        quick = _quick_json(body)
        if quick is not None:
            return quick
    text = _decode(body)
    stripped = text.lstrip()
    if not stripped:
        raise BodyNotFound("Request body not found.")
    is_json = stripped[0] in "{[" or (content_type is not None and "json" in content_type.lower())
    parsed = _parse_json(stripped) if is_json else _parse_xml_text(stripped)[1]
    if _may_hold_unstorable(stripped):
        refuse_unstorable(parsed)  # walk the parsed fields to name the one that holds it
    return parsed


#: Characters Alma cannot store or answer: lone surrogates (no UTF-8 form), the C0 controls XML 1.0 forbids
#: (NUL included; tab, line feed and carriage return are text) and Unicode's non-characters.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                         + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
                                   for plane in range(1, 17)) + "]")


#: JSON escapes that can make one: `\b`, `\f`, `\u0000`-`\u001F`, surrogates, `\uFDD0`-`\uFDEF`, `\uFFFE`, `\uFFFF`
#: (a plane's last two code points are a surrogate pair). Matching a few harmless ones too only costs a walk.
_UNSTORABLE_ESCAPE = re.compile(r"\\(?:[bf]|u(?:00[01]|[dD][89a-fA-F]|[fF][dD][dDeE]|[fF][fF][fF][eEfF]))")


def _may_hold_unstorable(text: str) -> bool:
    """Whether a body's text could parse to a string with an unstorable character: a raw one (UTF-8 has no lone
    surrogates, and JSON and XML refuse raw controls, so only non-ASCII text needs the scan), a JSON escape that
    makes one, or an XML character reference. False means refuse_unstorable would find nothing."""
    if not text.isascii() and _UNSTORABLE.search(text):
        return True
    return ("\\" in text and _UNSTORABLE_ESCAPE.search(text) is not None) or "&#" in text


#: `_UNSTORABLE_ESCAPE` for a body still in bytes (the pattern is ASCII, so it finds the same escapes).
_UNSTORABLE_ESCAPE_BYTES = re.compile(_UNSTORABLE_ESCAPE.pattern.encode("ascii"))


def _quick_json(body: bytes) -> dict[str, Any] | None:
    """parse_body's answer for a body whose first byte is `{`, read by orjson straight from the bytes; None when
    the general path must decide (a run of 19 digits, anything orjson refuses: not UTF-8, NaN, a lone surrogate
    escape, bad JSON), and that path then gives the answer or the refusal exactly as before.

    Why it equals the general path: such a body has no BOM and nothing to strip, so its text is `body.decode()`
    and JSON is chosen whatever the Content-Type; orjson reads a str through its UTF-8 form, which is these very
    bytes (and refuses the bytes when they are not UTF-8); the 19-digit guard sees the same bytes
    `_parse_json` encodes the text back to; and `_may_hold_unstorable_json` walks whenever the walk could refuse."""
    if _LONG_DIGITS in body.translate(_DIGITS_AS_ZEROS):
        return None
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(value, dict):
        return None
    if _may_hold_unstorable_json(body):
        refuse_unstorable(value)
    return value


def _may_hold_unstorable_json(body: bytes) -> bool:
    """For a valid UTF-8 JSON body: False when `_may_hold_unstorable(body.decode())` is, or when the walk it calls
    for would find nothing. An ASCII body is not decoded: a JSON string holds raw ASCII text or escapes, so only an
    escape can make an unstorable character (an XML character reference, `&#`, is plain text in JSON)."""
    if not body.isascii():
        return _may_hold_unstorable(body.decode("utf-8"))
    return b"\\" in body and _UNSTORABLE_ESCAPE_BYTES.search(body) is not None


def refuse_unstorable(value: Any, field: str = "") -> None:
    """Raise 402119 naming the first field (`resource_metadata.title`, `location[0].library`) whose name or text
    holds a character that could not be answered in JSON and XML; nothing is committed before this check."""
    if _holds_unstorable(value):
        _refuse_first_unstorable(value, field)


def _holds_unstorable(value: Any) -> bool:
    """Whether any name or text in `value` holds an unstorable character: the walk without naming fields (the
    in-process backend checks every body it is given as a dict; almost all hold none). Printable ASCII never holds
    one, so such a text skips the regular expression."""
    if isinstance(value, str):
        return not (value.isascii() and value.isprintable()) and _UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any((isinstance(key, str) and _holds_unstorable(key)) or _holds_unstorable(item)
                   for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_unstorable(item) for item in value)
    return False


def _refuse_first_unstorable(value: Any, field: str) -> None:
    """The walk that names the field, for a value `_holds_unstorable` found something in."""
    if isinstance(value, str):
        found = _UNSTORABLE.search(value)
        if found:
            raise GeneralError(f"General error. The field {field or '(body)'} holds a character Alma cannot store "
                               f"(U+{ord(found.group()):04X} at position {found.start()}).")
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{field}.{key}" if field else str(key)
            if isinstance(key, str) and _UNSTORABLE.search(key):
                _refuse_first_unstorable(key, name)
            _refuse_first_unstorable(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_first_unstorable(item, f"{field}[{index}]")


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GeneralError(
            f"General error. The request body is not valid UTF-8 (byte {exc.start})."
        ) from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


_JSON_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)  # one decoder, not one per request


#: A run of 19 digits (found as 19 zeros once every digit is made a zero: a byte translation, many times cheaper
#: than a regular expression): a number orjson may not read as the standard library does (integers beyond 64 bits
#: become floats there), so such a body is read by the standard library alone.
_DIGITS_AS_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGITS = b"0" * 19


def _parse_json(text: str) -> dict[str, Any]:
    # orjson reads what it accepts exactly as the standard library does (numbers of up to 18 digits included), in
    # well under half the time; whatever it refuses (NaN, a lone surrogate escape, an error) goes to the standard
    # library, whose answer and message stay the ones Alma's envelope carries.
    if _LONG_DIGITS not in text.encode("utf-8", "surrogatepass").translate(_DIGITS_AS_ZEROS):
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
        else:
            if not isinstance(value, dict):
                raise GeneralError("General error. The request body must be a JSON object.")
            return value
    try:
        value = _JSON_DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise GeneralError(
            f"General error. The request body is not valid JSON: {exc.msg} "
            f"(line {exc.lineno}, column {exc.colno})."
        ) from None
    except (ValueError, RecursionError) as exc:
        raise GeneralError(f"General error. The request body is not valid JSON: {exc}.") from None
    if not isinstance(value, dict):
        raise GeneralError("General error. The request body must be a JSON object.")
    return value


# --------------------------------------------------------------------------- XML -> dict


def from_xml(data: bytes) -> tuple[str, dict[str, Any]]:
    """An XML document as (root element name, dict), following Alma's conventions.

    A list document (`<po_lines total_record_count="2">`) gives the same dict as its JSON twin:
    `{"po_line": [...], "total_record_count": 2}`. Leaves are strings; empty elements are "".
    Raises GeneralError for malformed, oversized, non-UTF-8 or DTD/entity-bearing documents.
    """
    if len(data) > MAX_BODY_BYTES:
        raise GeneralError(f"General error. The XML document is larger than {MAX_BODY_BYTES} bytes.")
    return _parse_xml_text(_decode(data))


def _parse_xml_text(text: str) -> tuple[str, dict[str, Any]]:
    root = _parse_tree(text)
    name = _local(root.tag)
    try:
        value = _root_value(root)
    except RecursionError:
        raise GeneralError("General error. The XML document is nested too deeply.") from None
    return name, value


def _parse_tree(text: str) -> Element:
    # A str (not bytes) makes expat read it as UTF-8 whatever the declaration claims.
    try:
        return _safe_fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise GeneralError(
            "General error. DTDs and entity declarations are not accepted in XML bodies."
        ) from None
    except ParseError as exc:
        raise GeneralError(f"General error. The request body is not well-formed XML: {exc}.") from None


def _local(name: str) -> str:
    return name.rpartition("}")[2] if name[:1] == "{" else name


def _root_value(root: Element) -> dict[str, Any]:
    key, value = _convert(root, 1)
    if isinstance(value, dict):
        return value
    if isinstance(value, list):  # a wrapper without total_record_count: <locations><location>…
        return {key: value}
    return {"value": value} if value else {}


def _convert(elem: Element, depth: int) -> tuple[str, Any]:
    """One element as the (key, value) it contributes to its parent's dict."""
    if depth > MAX_DEPTH:
        raise GeneralError("General error. The XML document is nested too deeply.")
    name = _local(elem.tag)
    attrs = {_local(k): v for k, v in elem.attrib.items()} if elem.attrib else None
    children = list(elem)

    singular = _wrapped_singular(name, children, attrs)
    if singular is not None:
        items = [_convert(child, depth + 1)[1] for child in children]
        if attrs:  # only total_record_count can be here
            return name, {singular: items, _TOTAL: _as_count(attrs[_TOTAL])}
        return singular, items

    if not children:
        text = elem.text or ""
        if attrs:
            return name, {"value": text, **attrs}
        return name, text

    result: dict[str, Any] = dict(attrs) if attrs else {}
    repeated: set[str] = set()
    for child in children:
        if _local(child.tag) in VERBATIM_ELEMENTS:
            result.setdefault(_ANIES, []).append(_verbatim(child))
            continue
        key, value = _convert(child, depth + 1)
        if key not in result:
            result[key] = value
        elif key in repeated:  # a third or later unwrapped repeat
            result[key].append(value)
        else:  # the same element twice without a wrapper: it is a list after all
            result[key] = [result[key], value]
            repeated.add(key)
    return name, result


def _wrapped_singular(name: str, children: list[Element], attrs: dict[str, str] | None) -> str | None:
    """The singular child name if `elem` is a repeating-group wrapper or a list document."""
    if attrs and (len(attrs) != 1 or _TOTAL not in attrs):
        return None
    if not children:
        singular = _singular_of(name)
        if singular is None and attrs:  # <portfolios total_record_count="0"/>
            singular = _singular_guess(name)
        return singular
    first = _local(children[0].tag)
    if first in VERBATIM_ELEMENTS:
        return None
    for child in children[1:]:
        if _local(child.tag) != first:
            return None
    if REPEATING.get(first) == name or name in _english_plurals(first):
        return first
    return None


def _as_count(text: str) -> int | str:
    try:
        return int(text)
    except ValueError:
        return text


def _verbatim(elem: Element) -> str:
    tail, elem.tail = elem.tail, None
    try:
        return tostring(elem, encoding="unicode")
    finally:
        elem.tail = tail


# --------------------------------------------------------------------------- plurals


def plural_of(singular: str) -> str:
    """The XML wrapper name for a repeating group: the table first, then English rules."""
    plural = REPEATING.get(singular)
    return plural if plural is not None else _english_plurals(singular)[0]


@lru_cache(maxsize=1024)
def _english_plurals(singular: str) -> tuple[str, ...]:
    """Plausible plurals, the preferred one first: copy→copies, box→boxes, note→notes."""
    if singular.endswith("y") and len(singular) > 1 and singular[-2] not in "aeiou":
        return (singular[:-1] + "ies", singular + "s")
    if singular.endswith(("s", "x", "z", "ch", "sh")):
        return (singular + "es", singular + "s")
    return (singular + "s",)


def _singular_guess(plural: str) -> str:
    if plural.endswith("ies"):
        return plural[:-3] + "y"
    if plural.endswith(("ses", "xes", "zes", "ches", "shes")):
        return plural[:-2]
    if plural.endswith("s"):
        return plural[:-1]
    return plural


_reverse: dict[str, str] = {}


def _singular_of(plural: str) -> str | None:
    """The table's singular for a wrapper name; follows entries added to REPEATING at run time."""
    if len(_reverse) != len(REPEATING):
        _reverse.clear()
        _reverse.update((p, s) for s, p in REPEATING.items())
    return _reverse.get(plural)


# --------------------------------------------------------------------------- dict -> XML


def to_xml(root: str, obj: dict[str, Any]) -> bytes:
    """`obj` as an Alma XML document whose root element is `root`."""
    parts: list[str] = [XML_DECLARATION]
    _emit(parts, root, obj, 1)
    return "".join(parts).encode("utf-8")


def to_xml_list(plural: str, singular: str, items: list[dict[str, Any]], total: int) -> bytes:
    """A list document: `<po_lines total_record_count="N"><po_line>…</po_line></po_lines>`."""
    parts: list[str] = [XML_DECLARATION, f'<{_name(plural)} {_TOTAL}="{int(total)}">']
    tag = _name(singular)
    for item in items:
        _emit(parts, tag, item, 2)
    parts.append(f"</{plural}>")
    return "".join(parts).encode("utf-8")


def _emit(parts: list[str], name: str, value: Any, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ValueError("object nested too deeply to render as XML")
    tag = _name(name)
    if isinstance(value, dict):
        if _is_coded(value):
            _emit_coded(parts, tag, value)
        elif _is_list_envelope(value):
            _emit_envelope(parts, tag, value, depth)
        else:
            _emit_object(parts, tag, value, depth)
    elif isinstance(value, list):
        raise TypeError(f"a list must sit under a dict key, not directly inside <{tag}>")
    else:
        text = _scalar(value)
        parts.append(f"<{tag}>{_escape_text(text)}</{tag}>" if text else f"<{tag}/>")


#: Objects whose `link` Alma's XML writes as an attribute of the element, not as a child: the item object and its
#: bib_data and holding_data (a captured bibs API item: `<item link="…">`, `<bib_data link="…">`), and the PO
#: line's root (reference/alma-api.md: `<po_line>` may carry `link="…"`). Elsewhere the captures show no
#: attribute, so a `link` stays a child element there. The reader takes the attribute back as the `link` key.
LINK_ATTRIBUTE_ELEMENTS = frozenset({"item", "bib_data", "holding_data", "po_line"})


def _emit_object(parts: list[str], tag: str, obj: dict[str, Any], depth: int) -> None:
    if not obj:
        parts.append(f"<{tag}/>")
        return
    link = obj.get("link") if tag in LINK_ATTRIBUTE_ELEMENTS else None
    if isinstance(link, str):
        parts.append(f'<{tag} link="{_escape_attr(link)}">')
    else:
        parts.append(f"<{tag}>")
    for key, value in obj.items():
        if key == "link" and link is not None:
            continue
        if isinstance(value, list):
            if key == _ANIES:
                _emit_verbatim(parts, value)
            else:
                _emit_group(parts, key, value, depth + 1)
        else:
            _emit(parts, key, value, depth + 1)
    parts.append(f"</{tag}>")


def _emit_group(parts: list[str], singular: str, items: list[Any], depth: int) -> None:
    wrapper = _name(plural_of(singular))
    if not items:
        parts.append(f"<{wrapper}/>")
        return
    parts.append(f"<{wrapper}>")
    for item in items:
        if isinstance(item, list):
            raise TypeError(f"nested list inside repeating group {singular!r}")
        _emit(parts, singular, item, depth + 1)
    parts.append(f"</{wrapper}>")


def _emit_envelope(parts: list[str], tag: str, obj: dict[str, Any], depth: int) -> None:
    total = obj[_TOTAL]
    singular = next(k for k in obj if k != _TOTAL)
    items = obj[singular]
    attr = f' {_TOTAL}="{_escape_attr(_scalar(total))}"'
    if not items:
        parts.append(f"<{tag}{attr}/>")
        return
    parts.append(f"<{tag}{attr}>")
    for item in items:
        _emit(parts, singular, item, depth + 1)
    parts.append(f"</{tag}>")


def _emit_coded(parts: list[str], tag: str, obj: dict[str, Any]) -> None:
    attrs = "".join(
        f' {key}="{_escape_attr(_scalar(obj[key]))}"' for key in ("desc", "link") if key in obj
    )
    text = _scalar(obj["value"])
    parts.append(f"<{tag}{attrs}>{_escape_text(text)}</{tag}>")


def _emit_verbatim(parts: list[str], fragments: list[Any]) -> None:
    for fragment in fragments:
        if not isinstance(fragment, str):
            raise TypeError("'anies' must hold serialized XML strings")
        if fragment.startswith("<?xml"):  # Alma's JSON anies opens with a declaration; XML embeds the element
            fragment = fragment[fragment.index("?>") + 2:]
        _parse_tree(fragment)  # refuse to splice anything that is not one well-formed element
        parts.append(fragment)


def _is_coded(obj: dict[str, Any]) -> bool:
    if "value" not in obj or not obj.keys() <= _CODED_KEYS:
        return False
    return not any(isinstance(v, (dict, list)) for v in obj.values())


def _is_list_envelope(obj: dict[str, Any]) -> bool:
    if len(obj) != 2 or _TOTAL not in obj:
        return False
    return any(isinstance(v, list) for k, v in obj.items() if k != _TOTAL)


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    raise TypeError(f"cannot render {type(value).__name__} as XML text")


_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")


@lru_cache(maxsize=4096)
def _name(name: str) -> str:
    if not _XML_NAME.match(name) or name[:3].lower() == "xml":
        raise ValueError(f"{name!r} is not usable as an XML element name")
    return name


# Characters XML 1.0 cannot carry at all; they become U+FFFD rather than break the document.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _escape_text(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:  # a raw CR would be normalised away by the reader
        text = text.replace("\r", "&#13;")
    if not text.isprintable():
        text = _NOT_XML_CHAR.sub("\ufffd", text)
    return text


def _escape_attr(text: str) -> str:
    text = _escape_text(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\n" in text:  # attribute-value normalisation would turn these into spaces
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#9;")
    return text


# --------------------------------------------------------------------------- JSON out


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_JSON_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_json_default)
_ASCII_JSON_ENCODER = json.JSONEncoder(separators=(",", ":"), default=_json_default)
#: Dates and dataclasses go to `_json_default` (and are refused) as the standard library would.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def dumps_json(obj: Any) -> bytes:
    """Compact UTF-8 JSON, non-ASCII kept as is; a Decimal becomes a string like Alma's sums."""
    try:
        return orjson.dumps(obj, default=_json_default, option=_ORJSON_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError: a big integer, a non-string key, a lone surrogate, …
        text = _JSON_ENCODER.encode(obj)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate has no UTF-8 form: sent as a \u escape, as json.dumps does
        return _ASCII_JSON_ENCODER.encode(obj).encode("ascii")


# --------------------------------------------------------------------------- error envelope


def error_body(errors: list[tuple[str, str]], fmt: str, tracking_id: str) -> bytes:
    """Alma's `web_service_result` carrying (code, message) pairs, in the given format."""
    if fmt == JSON:
        return dumps_json(
            {
                "errorsExist": True,
                "errorList": {
                    "error": [
                        {"errorCode": code, "errorMessage": message, "trackingId": tracking_id}
                        for code, message in errors
                    ]
                },
                "result": None,
            }
        )
    if fmt != XML:
        raise ValueError(f"unknown wire format {fmt!r}")
    tid = _escape_text(tracking_id)
    parts = [
        XML_DECLARATION,
        f'<web_service_result xmlns="{ALMA_NAMESPACE}"><errorsExist>true</errorsExist><errorList>',
    ]
    for code, message in errors:
        parts.append(
            f"<error><errorCode>{_escape_text(code)}</errorCode>"
            f"<errorMessage>{_escape_text(message)}</errorMessage>"
            f"<trackingId>{tid}</trackingId></error>"
        )
    parts.append("</errorList></web_service_result>")
    return "".join(parts).encode("utf-8")


def parse_error_body(body: bytes) -> list[tuple[str, str]]:
    """The (code, message) pairs of an error envelope in either format; [] for anything else."""
    try:
        text = body.decode("utf-8-sig").lstrip()
    except UnicodeDecodeError:
        return []
    if not text:
        return []
    if text[0] == "{":
        return _json_errors(text)
    if text[0] == "<":
        return _xml_errors(text)
    return []


def _json_errors(text: str) -> list[tuple[str, str]]:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return []
    if not isinstance(doc, dict):
        return []
    error_list = doc.get("errorList")
    if not isinstance(error_list, dict):
        return []
    errors = error_list.get("error")
    if isinstance(errors, dict):  # tolerate a lone error object
        errors = [errors]
    if not isinstance(errors, list):
        return []
    return [
        (str(e.get("errorCode", "")), str(e.get("errorMessage", "")))
        for e in errors
        if isinstance(e, dict)
    ]


def _xml_errors(text: str) -> list[tuple[str, str]]:
    try:
        root = _parse_tree(text)
    except GeneralError:
        return []
    if _local(root.tag) != "web_service_result":
        return []
    found: list[tuple[str, str]] = []
    for error_list in root:
        if _local(error_list.tag) != "errorList":
            continue
        for error in error_list:
            if _local(error.tag) != "error":
                continue
            fields = {_local(child.tag): child.text or "" for child in error}
            found.append((fields.get("errorCode", ""), fields.get("errorMessage", "")))
    return found


_ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ID_SPACE = 36**5
_ID_STRIDE = 16_290_101  # coprime to 36**5: consecutive counters give unrelated-looking codes


def tracking_id(counter: int, moment: datetime) -> str:
    """`E01-DDMMHHMMSS-XXXXX-AWAE<digits>`, a pure function of its inputs.

    XXXXX is the counter scrambled into five base-36 characters (distinct for 36**5 counters);
    the digits are the moment's Unix seconds. A naive moment is taken as UTC.
    """
    utc = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
    n = (counter * _ID_STRIDE + 7_777_777) % _ID_SPACE
    code = []
    for _ in range(5):
        n, digit = divmod(n, 36)
        code.append(_ID_ALPHABET[digit])
    return f"E01-{utc:%d%m%H%M%S}-{''.join(code)}-AWAE{int(utc.timestamp())}"
