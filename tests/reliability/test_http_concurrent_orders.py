"""Many vendors ordering at once over HTTP against one fund with a limited balance, with the blocking balance
check ticked on the profile (configured through the librarian's API): the fund is never overspent, no PO line
number is given twice, every accepted order is there afterwards, and every refusal is 401872."""

from __future__ import annotations

import threading
from decimal import Decimal

import httpx
from alma_requests import KEY, po_line
from reliability_support import ADMIN, LIBRARIAN, check_answer

CLIENTS, ORDERS_EACH = 8, 25
PRICE = Decimal("25.00")
JSON = {"accept": "application/json"}


def _fund(client, server) -> dict:
    return client.get(f"{server.base_url}/acq/funds/HIST-MONO", params={"apikey": KEY}, headers=JSON).json()


def test_concurrent_orders_never_overspend_a_fund_nor_share_a_number(server, client):
    assert client.post(f"{server.url}{ADMIN}/reset").status_code == 200
    profile = client.put(f"{server.url}{LIBRARIAN}/integration-profiles/GOBI_API", params={"apikey": KEY},
                         headers=JSON, json={"name": "GOBI real-time orders", "system": "GOBI",
                                             "block_insufficient_balance": True})
    assert profile.status_code == 200 and profile.json()["do_not_create_order_if"]["fund_balance_insufficient"]
    fund = client.patch(f"{server.url}{LIBRARIAN}/funds/HIST-MONO", params={"apikey": KEY}, headers=JSON,
                        json={"allocated": "1000.00", "expended": "0", "overencumbrance_allowed": True,
                              "overencumbrance_limit_percent": "5"})
    assert fund.status_code == 200, fund.text
    before = _fund(client, server)
    allowance = Decimal(str(before["allocated_balance"])) * Decimal("0.05")
    room = Decimal(str(before["available_balance"])) + allowance
    expected = int(room // PRICE)
    assert 0 < expected < CLIENTS * ORDERS_EACH
    total_before = client.get(f"{server.base_url}/acq/po-lines", params={"apikey": KEY, "limit": 0,
                                                                         "status": "ALL"},
                              headers=JSON).json()["total_record_count"]

    start = threading.Barrier(CLIENTS)
    accepted: list[str] = []
    refused: list[tuple[int, list[str], str]] = []
    broken: list[BaseException] = []
    lock = threading.Lock()

    def vendor() -> None:
        try:
            with httpx.Client(timeout=30, headers={"authorization": f"apikey {KEY}", **JSON}) as http:
                start.wait(10)
                for _ in range(ORDERS_EACH):
                    response = http.post(f"{server.base_url}/acq/po-lines", json=po_line())
                    codes = check_answer(response.status_code, response.headers, response.content)
                    with lock:
                        if response.status_code == 200:
                            accepted.append(response.json()["number"])
                        else:
                            refused.append((response.status_code, codes, response.text))
        except BaseException as exc:  # noqa: BLE001 - reported below, in the test's own thread
            broken.append(exc)

    threads = [threading.Thread(target=vendor, name=f"vendor-{i}") for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not broken, broken[0]
    assert len(accepted) + len(refused) == CLIENTS * ORDERS_EACH

    assert len(set(accepted)) == len(accepted), "a PO line number was given twice"
    assert len(accepted) == expected, (len(accepted), expected)  # neither overspent nor refused with room left
    assert {(status, tuple(codes)) for status, codes, _ in refused} == {(400, ("401872",))}
    assert all("fund balance insufficient" in text for _, _, text in refused)

    after = _fund(client, server)
    assert Decimal(str(after["available_balance"])) >= -allowance
    spent = Decimal(str(after["encumbered_balance"])) - Decimal(str(before["encumbered_balance"]))
    assert spent == PRICE * len(accepted)
    for number in accepted:
        line = client.get(f"{server.base_url}/acq/po-lines/{number}", params={"apikey": KEY}, headers=JSON)
        assert line.status_code == 200 and line.json()["number"] == number
        assert line.json()["fund_distribution"][0]["fund_code"]["value"] == "HIST-MONO"
    total_after = client.get(f"{server.base_url}/acq/po-lines", params={"apikey": KEY, "limit": 0, "status": "ALL"},
                             headers=JSON).json()["total_record_count"]
    assert total_after == total_before + len(accepted)
