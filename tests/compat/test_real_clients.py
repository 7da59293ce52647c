"""Real Alma client libraries from PyPI, unmodified apart from their base URL, against the simulator's HTTP server.

Issue 3's acceptance: "Real Alma client libraries in the wild work against the server unmodified, apart from the
base URL." Each library is pointed at a `ThreadedServer` on 127.0.0.1 and driven only through its own calls; the
assertions are on what the library returns, or on the error it raises, exactly as a user of it sees them.

* almapipy 1.0.x (UC Davis, requests): funds, vendors, a vendor and its PO lines, libraries, paging through
  `all_records`, a PO line created through its generic `create` helper in JSON and in XML and read back, and the
  refusals it turns into `AlmaError("<code> - <message>")` from the JSON envelope (`error[0]`), from the XML one
  (the xmlbeans namespace) and from the gateway's 401 (XML whatever was asked, `;charset=UTF-8` split off).
  Its base URL lives in a dict local to `AlmaCnxn.__init__` and is copied into each sub-client's `cnxn_params`
  (`base_uri`, `api_uri_full`): `_rebase` swaps the hosted root for the server's there and nowhere else.
* almonaut 0.2.x (University of Waterloo, requests + pydantic 1): funds (its strict pydantic model of Alma's fund),
  one fund, PO lines and one PO line, and an unknown PO line. Its base URL is the `host` constructor argument.
  It needs pydantic < 2 (its validators use v1 signatures); with pydantic 2 installed its tests are skipped.

Install them with `pip install -e .[compat]` (almapipy alone is also in `.[test]`).
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET

import pytest

from simulator.api.server import ThreadedServer
from simulator.api.service import AlmaService, full_key

HVU = "01TRLC_HVU"
HOSTED = "https://api-na.hosted.exlibrisgroup.com"  # almapipy's "America" location, the root it builds URLs on

ORDER = {
    "owner": {"value": "MAIN"}, "type": {"value": "PRINTED_BOOK_OT"},
    "vendor": {"value": "GOBI"}, "vendor_account": "GOBI-HVU", "acquisition_method": {"value": "VENDOR_SYSTEM"},
    "price": {"sum": "61.30", "currency": {"value": "USD"}},
    "resource_metadata": {"title": "Ports and Empires", "isbn": "9781861895554"},
    "fund_distribution": [{"fund_code": {"value": "HIST-MONO"},
                           "amount": {"sum": "61.30", "currency": {"value": "USD"}}}],
}

ORDER_XML = """<po_line>
  <owner>MAIN</owner><type>PRINTED_BOOK_OT</type><vendor>GOBI</vendor><vendor_account>GOBI-HVU</vendor_account>
  <acquisition_method>VENDOR_SYSTEM</acquisition_method>
  <price><sum>42.00</sum><currency>USD</currency></price>
  <resource_metadata><title>The Harbour Book</title><isbn>9780300120004</isbn></resource_metadata>
  <fund_distributions><fund_distribution><fund_code>HIST-MONO</fund_code>
    <amount><sum>42.00</sum><currency>USD</currency></amount></fund_distribution></fund_distributions>
</po_line>"""


@pytest.fixture
def service() -> AlmaService:
    return AlmaService()


@pytest.fixture
def server(service):
    running = ThreadedServer(service, host="127.0.0.1", port=0).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def key(service) -> str:
    return full_key(service.world, HVU)


def test_the_documented_default_all_filters_nothing(server, key):
    """What the libraries below send, checked without them: status=ALL (vendors, funds), entity_type=ALL (funds)."""
    import httpx

    with httpx.Client(base_url=server.base_url, params={"apikey": key, "format": "json", "limit": 100}) as http:
        assert http.get("/acq/vendors", params={"status": "ALL", "type": "ALL"}).json()["total_record_count"] == \
            http.get("/acq/vendors").json()["total_record_count"] > 0
        assert http.get("/acq/funds", params={"status": "ALL", "entity_type": "ALL"}).json()["total_record_count"] == \
            http.get("/acq/funds").json()["total_record_count"] > 0


# ---------------------------------------------------------------- almapipy --------------------------------------


def _rebase(client, old: str, new: str, seen: set[int] | None = None) -> None:
    """Point an almapipy connection at another root: only the URLs it stores in each sub-client's cnxn_params."""
    seen = set() if seen is None else seen
    if id(client) in seen:
        return
    seen.add(id(client))
    params = client.cnxn_params
    for name in ("base_uri", "api_uri_full"):
        if isinstance(params.get(name), str) and params[name].startswith(old):
            params[name] = new + params[name][len(old):]
    for value in vars(client).values():
        if hasattr(value, "cnxn_params"):
            _rebase(value, old, new, seen)


@pytest.fixture
def almapipy_module():
    return pytest.importorskip("almapipy")


def _create_po_line(po_lines, body):
    """almapipy has no PO-line create of its own: its generic `Client.create`, called as its own create methods
    (bibs, holdings, items …) call it, with the key in the query arguments."""
    return po_lines.create(po_lines.cnxn_params["api_uri_full"], body, {"apikey": po_lines.cnxn_params["api_key"]},
                           "po_line")


@pytest.fixture
def almapipy_json(almapipy_module, server, key):
    cnxn = almapipy_module.AlmaCnxn(key, location="America", data_format="json")
    _rebase(cnxn, HOSTED, server.url)
    assert cnxn.acq.po_lines.cnxn_params["api_uri_full"] == f"{server.base_url}/acq/po-lines"
    return cnxn


@pytest.fixture
def almapipy_xml(almapipy_module, server, key):
    cnxn = almapipy_module.AlmaCnxn(key, location="America", data_format="xml")
    _rebase(cnxn, HOSTED, server.url)
    return cnxn


def test_almapipy_reads_funds_vendors_and_libraries(almapipy_json):
    alma = almapipy_json
    funds = alma.acq.funds.get(limit=100)
    assert funds["total_record_count"] == len(funds["fund"]) > 0
    hist = next(f for f in funds["fund"] if f["code"] == "HIST-MONO")
    assert hist["status"]["value"] == "ACTIVE" and isinstance(hist["available_balance"], float)

    paged = alma.acq.funds.get(limit=3, all_records=True)  # pages on total_record_count
    assert [f["code"] for f in paged["fund"]] == [f["code"] for f in funds["fund"]]

    vendors = alma.acq.vendors.get()  # sends status=ALL&type=ALL, Alma's documented defaults
    assert {"GOBI", "OASIS"} <= {v["code"] for v in vendors["vendor"]}
    gobi = alma.acq.vendors.get("GOBI")
    assert gobi["code"] == "GOBI" and gobi["account"][0]["code"] == "GOBI-HVU"
    assert alma.acq.vendors.get_po_lines("GOBI")["total_record_count"] >= 1

    libraries = alma.conf.units.get_libaries()
    assert "MAIN" in {lib["code"] for lib in libraries["library"]}
    assert alma.conf.units.get_libaries("MAIN")["name"] == "Hudson Valley University Main Library"


def test_almapipy_creates_a_po_line_in_json_and_reads_it_back(almapipy_json):
    po_lines = almapipy_json.acq.po_lines
    created = _create_po_line(po_lines, dict(ORDER))
    assert created["number"].startswith("POL-")
    assert created["status"]["value"] == "SENT"
    assert created["price"] == {"sum": "61.30", "currency": {"value": "USD", "desc": "US Dollar"}}

    again = po_lines.get(created["number"])
    assert again["number"] == created["number"]
    assert again["resource_metadata"]["isbn"] == "9781861895554"
    assert again["fund_distribution"][0]["fund_code"]["value"] == "HIST-MONO"
    listed = po_lines.get(query={"number": created["number"]})
    assert [line["number"] for line in listed["po_line"]] == [created["number"]]


def test_almapipy_creates_a_po_line_in_xml_and_reads_it_back(almapipy_xml):
    po_lines = almapipy_xml.acq.po_lines
    created = _create_po_line(po_lines, ET.fromstring(ORDER_XML))
    assert isinstance(created, ET.Element) and created.tag == "po_line"
    number = created.findtext("number")
    assert number.startswith("POL-")
    assert created.findtext("status") == "SENT" and created.find("status").get("desc") == "Sent"

    again = po_lines.get(number)
    assert again.findtext("resource_metadata/title") == "The Harbour Book"
    assert again.findtext("fund_distributions/fund_distribution/fund_code") == "HIST-MONO"

    funds = almapipy_xml.acq.funds.get(limit=100)
    assert int(funds.get("total_record_count")) == len(funds.findall("fund")) > 0


def test_almapipy_surfaces_alma_errors(almapipy_module, almapipy_json, almapipy_xml, server):
    alma_error = almapipy_module.utils.AlmaError
    with pytest.raises(alma_error) as json_refusal:
        almapipy_json.acq.po_lines.get("POL-0000")
    assert json_refusal.value.response == 400
    assert json_refusal.value.message.startswith("401871 - PO Line POL-0000 not found")

    with pytest.raises(alma_error) as xml_refusal:  # found only under the xmlbeans namespace
        almapipy_xml.acq.po_lines.get("POL-0000")
    assert xml_refusal.value.message.startswith("401871 - PO Line POL-0000 not found")

    with pytest.raises(alma_error) as missing:
        _create_po_line(almapipy_json.acq.po_lines, {k: v for k, v in ORDER.items() if k != "owner"})
    assert missing.value.message.startswith("401664 - Mandatory field is missing: owner")

    stranger = almapipy_module.AlmaCnxn("l8xx-not-a-key", location="America", data_format="json")
    _rebase(stranger, HOSTED, server.url)
    with pytest.raises(alma_error) as unauthorised:  # the gateway answers XML even to format=json
        stranger.acq.funds.get()
    assert unauthorised.value.response == 401
    assert unauthorised.value.message.startswith("UNAUTHORIZED - API-key not defined")


# ---------------------------------------------------------------- almonaut --------------------------------------


@pytest.fixture
def almonaut(server, key):
    root = logging.getLogger()
    level = root.level
    try:  # almonaut's client module calls logging.basicConfig(level=DEBUG) when imported: keep the root as it was
        from almonaut import client, exceptions
    except ImportError:
        pytest.skip("almonaut is not installed (pip install -e .[compat])")
    except Exception as exc:  # pydantic 2: its v1-style validators fail at class creation
        pytest.skip(f"almonaut does not import here (it needs pydantic < 2): {exc.__class__.__name__}")
    finally:
        root.setLevel(level)
    return client.AlmaApiClient(key, host=server.url), exceptions


def test_almonaut_parses_funds_and_po_lines_into_its_models(almonaut):
    alma, _ = almonaut
    funds = alma.get_funds(limit=3, all_records=True, extra_params={})
    assert len(funds.funds) == funds.total_record_count > 3
    hist = next(f for f in funds.funds if f.code == "HIST-MONO")
    assert hist.status.value == "ACTIVE" and hist.currency.value == "USD"
    assert hist.parent.link.endswith(f"/acq/funds/{hist.parent.value}")
    assert alma.get_fund(hist.id_).code == "HIST-MONO"

    lines = alma.get_po_lines(limit=10, extra_params={})
    assert lines.total_record_count == len(lines.po_lines) >= 1
    line = alma.get_po_line(lines.po_lines[0].number)
    assert line.vendor.value == "GOBI" and line.price.sum_ > 0
    assert line.fund_distributions[0].fund_code.value
    assert line.created_date is not None


def test_almonaut_raises_on_an_unknown_po_line(almonaut):
    alma, exceptions = almonaut
    with pytest.raises(exceptions.AlmaApiError) as refusal:
        alma.get_po_line("POL-0000")
    # almonaut reads no code out of Alma's envelope (it looks for a top-level "error"), against real Alma too;
    # what it hands over is the answer itself
    assert refusal.value.response.status_code == 400
    assert refusal.value.response.json()["errorList"]["error"][0]["errorCode"] == "401871"
