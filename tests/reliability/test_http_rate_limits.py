"""Alma's thresholds over HTTP, set through the admin settings: past the per-second threshold an institution
gets 429 PER_SECOND_THRESHOLD, past the daily one 429 DAILY_THRESHOLD, always as Alma's envelope with
X-Exl-Api-Remaining; each institution has its own counters, and refused calls are not counted. The windows are
the simulator's clock's (a fixed clock here), so nothing depends on how fast the machine is."""

from __future__ import annotations

import pytest
from alma_requests import KEY
from reliability_support import ADMIN, check_answer

RVC = "l8xx-rvc-0000-read-write"


@pytest.fixture
def settings(server, client):
    admin = f"{server.url}{ADMIN}"
    client.post(f"{admin}/reset").raise_for_status()  # counters start afresh
    yield lambda **changes: client.put(f"{admin}/settings", json=changes).raise_for_status()
    client.put(f"{admin}/settings", json={"per_second_threshold": 0, "daily_threshold": 1_000_000})
    client.post(f"{admin}/reset")


def _call(client, server, key: str, fmt: str = "json"):
    return client.get(f"{server.base_url}/acq/funds", params={"apikey": key, "format": fmt, "limit": 1})


def test_the_per_second_threshold_answers_429_per_institution(server, client, settings):
    settings(per_second_threshold=3)

    hvu = [_call(client, server, KEY, fmt) for fmt in ("json", "json", "json", "json", "xml", "json")]
    rvc = [_call(client, server, RVC) for _ in range(3)]
    assert [r.status_code for r in hvu] == [200, 200, 200, 429, 429, 429]
    assert [r.status_code for r in rvc] == [200, 200, 200]  # Riverside's own counter
    for response in hvu[3:]:
        assert check_answer(429, response.headers, response.content) == ["PER_SECOND_THRESHOLD"]
        assert response.headers["x-exl-api-remaining"].isdigit()
    assert hvu[4].headers["content-type"].startswith("application/xml")
    client.post(f"{server.url}{ADMIN}/clock", json={"advance_seconds": 1}).raise_for_status()
    assert _call(client, server, KEY).status_code == 200  # the next second starts a new count
    assert _call(client, server, KEY).status_code == 200
    assert _call(client, server, KEY).status_code == 200
    assert _call(client, server, KEY).status_code == 429  # the count of that second reached the threshold


def test_the_daily_threshold_answers_429_and_remaining_counts_down(server, client, settings):
    settings(daily_threshold=4)
    acq_only = client.get(f"{server.base_url}/acq/funds", params={"apikey": "l8xx-hvu-0000-acq-only",
                                                                      "format": "json"})
    assert acq_only.status_code == 200  # a real call: the acq-only key may read funds
    assert client.get(f"{server.base_url}/conf/libraries",
                      params={"apikey": "l8xx-hvu-0000-acq-only"}).status_code == 401  # not counted
    answers = [_call(client, server, KEY) for _ in range(4)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    assert [r.headers["x-exl-api-remaining"] for r in answers[:3]] == ["2", "1", "0"]
    assert check_answer(429, answers[3].headers, answers[3].content) == ["DAILY_THRESHOLD"]
    assert answers[3].headers["x-exl-api-remaining"] == "0"
    again = _call(client, server, KEY, "xml")
    assert check_answer(429, again.headers, again.content) == ["DAILY_THRESHOLD"]  # 429s are not counted either
    assert again.headers["x-exl-api-remaining"] == "0"
    other = _call(client, server, RVC)
    assert other.status_code == 200 and other.headers["x-exl-api-remaining"] == "3"
