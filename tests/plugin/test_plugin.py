"""The almasim pytest plugin gives users' own tests working fixtures (it is loaded by entry point, as for users)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from simulator.backends import AlmaClient

pytest_plugins = ["pytester"]


def test_alma_fixture_is_hudson_valley_university(alma):
    assert isinstance(alma, AlmaClient)
    assert alma.test() == "GET - OK - institutionCode: 01TRLC_HVU"


def test_alma_connect_opens_another_institution(alma_connect):
    assert alma_connect("01TRLC_LSU").test().endswith("01TRLC_LSU")


def test_vendor_cart_orders_through_alma(alma, vendor_cart):
    from simulator.vendors import VENDORS
    from simulator.vendors.stock import VendorStock

    cart = vendor_cart("gobi")
    title = VendorStock.build(VENDORS["gobi"]).search("Rivers of Empire")[0]
    cart.add(title, "print", owning_library="MAIN", location="STACKS", funds=("HIST-MONO",))
    order = cart.checkout()
    number = order.lines[0].po_line_number
    assert number.startswith("POL-")
    assert alma.get_po_line(number)["vendor_reference_number"] == order.lines[0].vendor_reference_number


def test_mock_alma_answers_plain_httpx_code(mock_alma):
    """A user's own connector, written with plain httpx against Alma's real host, is served with no sockets."""
    answer = httpx.get("https://api-eu.hosted.exlibrisgroup.com/almaws/v1/acq/vendors/GOBI",
                       params={"apikey": mock_alma.api_key(), "format": "json"})
    assert answer.status_code == 200
    assert answer.json()["name"] == "GOBI Library Solutions from EBSCO"
    assert answer.headers["content-type"] == "application/json;charset=UTF-8"


def test_each_test_gets_a_fresh_alma(alma):
    """Fresh per test: the line created in the previous test is not here."""
    assert alma.list_po_lines(q="title~Rivers of Empire", status="ALL_WITH_CLOSED")["total_record_count"] == 0


def _readme_example() -> str:
    """The README's plugin example, exactly as users read it."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    return next(b for b in re.findall(r"```python\n(.*?)```", readme, flags=re.S) if "def test_" in b)


def test_the_plugin_works_in_a_users_project(pytester):
    """A user's test file, with nothing but the installed plugin, runs on the in-process and mocked backends."""
    pytester.makepyfile(test_users_project=_readme_example())
    for backend in ("inprocess", "mocked"):
        result = pytester.runpytest_subprocess(f"--alma-backend={backend}", "-p", "no:cacheprovider")
        result.assert_outcomes(passed=1)
