"""`mock_alma()`: a user's own httpx code calling Alma's hosts is answered by the simulator, with no sockets."""

from __future__ import annotations

import httpx
import pytest

from simulator import mock_alma
from simulator.admin.faults import Fault

HOSTS = ["https://api-na.hosted.exlibrisgroup.com", "https://api-eu.hosted.exlibrisgroup.com",
         "https://api-ap.hosted.exlibrisgroup.com", "https://api-aps.hosted.exlibrisgroup.com",
         "https://api-ca.hosted.exlibrisgroup.com", "https://api-cn.hosted.exlibrisgroup.com.cn"]


def vendor_connector_test(base: str, key: str) -> str:
    """Stands for a vendor's own code: it builds its own httpx client."""
    with httpx.Client(base_url=f"{base}/almaws/v1") as client:
        answer = client.get("/acq/test", headers={"Authorization": f"apikey {key}"})
        answer.raise_for_status()
        return answer.text


@pytest.mark.parametrize("host", HOSTS)
def test_as_a_context_manager_every_alma_host_is_served(host):
    with mock_alma() as alma:
        assert vendor_connector_test(host, alma.api_key()).endswith("institutionCode: 01TRLC_HVU</test>")
        assert alma.journal.entries()[-1].summary == "GET /almaws/v1/acq/test: 200"


def test_as_a_decorator_each_call_starts_from_a_fresh_world():
    mock = mock_alma()

    @mock
    def place_order() -> str:
        client = mock.client()
        return client.create_po_line({"owner": {"value": "MAIN"}, "type": {"value": "PRINTED_BOOK_OT"},
                                      "resource_metadata": {"title": "Decorated"}})["number"]

    assert place_order() == place_order()


def test_as_the_plugins_fixture(mock_alma):
    line = mock_alma.client().create_po_line({"owner": {"value": "MAIN"}, "type": {"value": "PRINTED_BOOK_OT"},
                                              "resource_metadata": {"title": "From a fixture"}})
    assert line["number"] in mock_alma.world.institution("01TRLC_HVU").po_lines


def test_other_hosts_are_refused_loudly():
    with mock_alma(), pytest.raises(AssertionError, match="not mocked"):
        httpx.get("https://example.org/")


def test_injected_faults_reach_the_users_code():
    with mock_alma() as alma:
        alma.faults.add(Fault.from_json({"path": "/almaws/v1/acq/test", "drop": True, "times": 1}))
        with pytest.raises(httpx.RemoteProtocolError):
            vendor_connector_test(HOSTS[0], alma.api_key())
        alma.faults.add(Fault.from_json({"path": "/almaws/v1/acq/test", "code": "PER_SECOND_THRESHOLD", "times": 1}))
        with pytest.raises(httpx.HTTPStatusError) as caught:
            vendor_connector_test(HOSTS[0], alma.api_key())
        assert caught.value.response.status_code == 429
        assert vendor_connector_test(HOSTS[0], alma.api_key())


def test_odd_methods_paths_keys_and_repeats_get_alma_s_envelope_through_respx():
    """Issue 10's one envelope, as a user's httpx code meets it: 405 with Allow, 404, two keys, a repeat."""
    with mock_alma() as alma:
        base, key = f"{HOSTS[0]}/almaws/v1", alma.api_key()
        trace = httpx.request("TRACE", f"{base}/acq/po-lines", params={"apikey": key})
        assert trace.status_code == 405 and trace.headers["allow"] == "GET, POST"
        assert b"<errorCode>402119</errorCode>" in trace.content
        query = httpx.request("QUERY", f"{base}/acq/nowhere", params={"apikey": key})
        assert query.status_code == 404 and "allow" not in query.headers
        two_keys = httpx.get(f"{base}/acq/test", params={"apikey": key},
                             headers={"Authorization": "apikey l8xx-hvu-0000-read-only"})
        assert two_keys.status_code == 401 and b"Two different API keys" in two_keys.content
        repeated = httpx.get(f"{base}/acq/po-lines", params=[("apikey", key), ("limit", "1"), ("limit", "2")],
                             headers={"Accept": "application/json"})
        assert repeated.status_code == 400
        assert repeated.json()["errorList"]["error"][0]["errorMessage"].startswith("Parameter limit was given")
