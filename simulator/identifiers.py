"""Standard identifiers of the book trade: ISBN-10, ISBN-13 and ISSN.

Owns check-digit arithmetic and the *initial normalization* of identifiers (strip hyphens, spaces and
qualifiers such as "(pbk.)", upper-case the X check digit, fold ISBN-10 into ISBN-13) so that every
comparison in the simulator uses one key per book. Pure functions; imports only the standard library.
"""

from __future__ import annotations

import re
from functools import lru_cache

_QUALIFIER = re.compile(r"\(.*?\)|\[.*?\]")
_NOISE = re.compile(r"[\s\-‐‑–—.:]")
_GROUPS = re.compile(r"[0-9Xx][0-9Xx\-‐‑–—.:]*(?:\s+[0-9Xx][0-9Xx\-‐‑–—.:]*)*")
_COMPLETE_LENGTHS = (8, 10, 13)  # ISSN, ISBN-10, ISBN-13


def clean_identifier(raw: str) -> str:
    """Drop qualifiers like "(pbk.)" and every hyphen, dot or space; upper-case the X check digit."""
    # ASCII digits, perhaps ending in an X check digit, are already clean: the common case (one order cleans its
    # ISBN several times: normalizing, validating, matching, indexing), answered without a regular expression
    if raw and raw.isascii() and (raw.isdigit() or (raw[-1] in "Xx" and raw[:-1].isdigit())):
        return raw.upper()
    # ASCII digits in hyphenated groups ("978-0-8203-4752-3"), beginning with a digit, perhaps ending in an X: the
    # long way matches the whole text as one group and strips its hyphens; so does this, without a regex
    if raw and raw[0].isdigit() and raw.isascii():
        digits = raw.replace("-", "")
        if digits.isdigit() or (digits[-1] in "Xx" and digits[:-1].isdigit()):
            return digits.upper()
    return _clean(raw)


@lru_cache(maxsize=1024)
def _clean(raw: str) -> str:
    """clean_identifier the long way; remembered, as one order's field is cleaned several times."""
    text = _QUALIFIER.sub(" ", raw or "").strip()
    # the leading run of digit groups, spaces inside it stripped: "978 1503 642225" -> "9781503642225";
    # trailing words go: "9780820347523 pbk" -> "9780820347523"; of two identifiers in a row the first stays
    groups = _GROUPS.match(text)
    if not groups:
        return _NOISE.sub("", text.split(" ")[0]).upper() if text else ""
    first = _NOISE.sub("", groups.group(0).split()[0])
    code = first if len(first) in _COMPLETE_LENGTHS else _NOISE.sub("", groups.group(0))
    return code.upper()


def isbn13_check_digit(first12: str) -> str:
    if first12.isascii() and first12.isdigit():  # summed as bytes: a digit's code is 48 more than its value
        raw = first12.encode()
        odd, even = raw[0::2], raw[1::2]
        total = sum(odd) - 48 * len(odd) + 3 * (sum(even) - 48 * len(even))
    else:
        total = sum(map(int, first12[0::2])) + 3 * sum(map(int, first12[1::2]))
    return str((10 - total % 10) % 10)


def isbn10_check_digit(first9: str) -> str:
    total = sum(int(d) * (10 - i) for i, d in enumerate(first9))
    value = (11 - total % 11) % 11
    return "X" if value == 10 else str(value)


def issn_check_digit(first7: str) -> str:
    total = sum(int(d) * (8 - i) for i, d in enumerate(first7))
    value = (11 - total % 11) % 11
    return "X" if value == 10 else str(value)


@lru_cache(maxsize=1024)  # an order's ISBN is judged when it is planned and again when its brief record is made
def is_valid_isbn(raw: str) -> bool:
    code = clean_identifier(raw)
    if len(code) == 13 and code.isdigit():
        return isbn13_check_digit(code[:12]) == code[12]
    if len(code) == 10 and code[:9].isdigit() and (code[9].isdigit() or code[9] == "X"):
        return isbn10_check_digit(code[:9]) == code[9]
    return False


def is_valid_issn(raw: str) -> bool:
    code = clean_identifier(raw)
    return (len(code) == 8 and code[:7].isdigit() and (code[7].isdigit() or code[7] == "X")
            and issn_check_digit(code[:7]) == code[7])


def isbn10_to_13(isbn10: str) -> str:
    body = "978" + isbn10[:9]
    return body + isbn13_check_digit(body)


def isbn13_to_10(isbn13: str) -> str | None:
    if not isbn13.startswith("978"):
        return None
    body = isbn13[3:12]
    return body + isbn10_check_digit(body)


def isbn_key(raw: str) -> str | None:
    """The one matching key for an ISBN: 13 digits, whether it came as ISBN-10 or ISBN-13.

    A wrong check digit still yields a key (matching is on the digits a vendor sent); validity is
    judged separately by the validation exception profile.
    """
    code = clean_identifier(raw)
    if len(code) == 13 and code.isdigit():
        return code
    if len(code) == 10 and code[:9].isdigit() and (code[9].isdigit() or code[9] == "X"):
        return isbn10_to_13(code)
    return None


def issn_key(raw: str) -> str | None:
    """The matching key for an ISSN: eight characters, no hyphen, check digit upper-cased."""
    code = clean_identifier(raw)
    if len(code) == 8 and code[:7].isdigit() and (code[7].isdigit() or code[7] == "X"):
        return code
    return None


def format_issn(key: str) -> str:
    return f"{key[:4]}-{key[4:]}"
