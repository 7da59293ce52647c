"""What every reliability test asserts about an answer: Alma's error envelope, never a 500 or a traceback."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

from defusedxml.ElementTree import fromstring

from simulator.api.codec import ALMA_NAMESPACE

ENVELOPE_ROOT = f"{{{ALMA_NAMESPACE}}}web_service_result"
ADMIN = "/almasim/v1/admin"
LIBRARIAN = "/almasim/v1/librarian"


def envelope_codes(status: int, content_type: str, body: bytes) -> list[str]:
    """The error codes of Alma's envelope; fails the test if the body is anything else.

    JSON: {"errorsExist": true, "errorList": {"error": [{"errorCode", "errorMessage", "trackingId"}]}, "result": null}
    XML: <web_service_result xmlns="http://com/exlibris/urm/general/xmlbeans"><errorsExist>true</errorsExist>…"""
    assert b"Traceback" not in body, body[:500]
    text = body.decode("utf-8")
    if "json" in content_type:
        doc = json.loads(text)
        assert doc["errorsExist"] is True, doc
        errors = doc["errorList"]["error"]
        assert isinstance(errors, list) and errors, doc
        for error in errors:
            assert error["errorCode"] and error["errorMessage"] and error["trackingId"], doc
        return [error["errorCode"] for error in errors]
    assert "xml" in content_type, (status, content_type, body[:300])
    root = fromstring(text)
    assert root.tag == ENVELOPE_ROOT, (root.tag, body[:300])
    ns = f"{{{ALMA_NAMESPACE}}}"
    assert root.findtext(f"{ns}errorsExist") == "true", body[:300]
    errors = root.findall(f"{ns}errorList/{ns}error")
    assert errors, body[:300]
    codes = []
    for error in errors:
        assert error.findtext(f"{ns}errorCode") and error.findtext(f"{ns}errorMessage"), body[:300]
        assert error.findtext(f"{ns}trackingId"), body[:300]
        codes.append(error.findtext(f"{ns}errorCode"))
    return codes


def check_answer(status: int, headers, body: bytes) -> list[str]:
    """Any answer of Alma's face: never 5xx, never a traceback; every 4xx is the envelope (its codes returned)."""
    assert status < 500, (status, body[:500])
    assert b"Traceback" not in body and b'File "' not in body, body[:500]
    if status >= 400:
        content_type = header(headers, "content-type")
        return envelope_codes(status, content_type, body)
    return []


def header(headers, name: str) -> str:
    if hasattr(headers, "get"):
        value = headers.get(name) or headers.get(name.title()) or ""
    else:
        value = next((v for k, v in headers if k.lower() == name), "")
    return value[0] if isinstance(value, list) else value  # schemathesis keeps every value of a header


def to_xml(root: str, value) -> bytes:
    """A test's own XML writer (not the codec's): dicts are elements, lists repeat their element, leaves are text.
    Whatever it is given it writes, so fuzzed bodies can carry anything the codec's writer would refuse."""
    parts: list[str] = []
    _element(parts, root, value)
    return "".join(parts).encode("utf-8")


def _element(parts: list[str], name: str, value) -> None:
    if isinstance(value, list):
        for item in value:
            _element(parts, name, item)
        return
    parts.append(f"<{name}>")
    if isinstance(value, dict):
        for key, child in value.items():
            _element(parts, key, child)
    elif value is not None:
        text = value if isinstance(value, str) else json.dumps(value)
        parts.append(escape(_xml_chars(text)))
    parts.append(f"</{name}>")


def _xml_chars(text: str) -> str:
    """Only characters XML 1.0 can carry (a client's XML library would refuse the others)."""
    return "".join(c for c in text if c in "\t\n\r" or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd"
                   or c >= "\U00010000")
