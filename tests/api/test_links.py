"""Every link resolves (issue 9 §2): a rehearsal runs against a real server, and every `link` in every answer it
got — and in the answers those links give, until no new link turns up — is fetched and answers 200."""

from __future__ import annotations

from typing import Any

import httpx

from simulator.backends import AlmaClient
from simulator.backends.http import HttpBackend
from simulator.vendors import VENDORS
from simulator.vendors.rehearsal import rehearse

KEY = "l8xx-hvu-0000-read-write"


class RecordingBackend:
    """Passes every request on and keeps every answer body."""

    def __init__(self, inner: HttpBackend) -> None:
        self.inner, self.kind, self.answers = inner, inner.kind, []

    def send(self, method: str, path: str, query: dict | None = None, body: dict | None = None) -> Any:
        answer = self.inner.send(method, path, query, body)
        self.answers.append(answer)
        return answer

    def admin(self, method: str, path: str, body: Any = None, query: dict | None = None) -> Any:
        return self.inner.admin(method, path, body, query)  # the rehearsal's EDI files (the vendors' invoices)

    @property
    def institution(self) -> str:
        return self.inner.institution


def links_in(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["link"]} if isinstance(value.get("link"), str) and value["link"] else set()
        return found.union(*(links_in(v) for k, v in value.items() if k != "link"))
    if isinstance(value, list):
        return set().union(*(links_in(v) for v in value))
    return set()


def test_every_link_in_a_rehearsal_answers_200(server):
    with httpx.Client(timeout=30) as http:
        backend = RecordingBackend(HttpBackend(server.base_url, KEY, client=http))
        summary = rehearse(AlmaClient(backend), list(VENDORS.values()), orders=4, seed=9)
        assert sum(v.outcomes["created"] for v in summary.vendors.values()) > 0
        pending = set().union(*(links_in(a) for a in backend.answers))
        kinds = {link.removeprefix(server.base_url).split("/")[1] for link in pending}
        assert {"acq", "bibs"} <= kinds, kinds
        seen: set[str] = set()
        broken = []
        while pending and len(seen) < 3000:
            link = pending.pop()
            seen.add(link)
            assert link.startswith(server.base_url), f"{link} is not on this server"
            answer = http.get(link, headers={"Authorization": f"apikey {KEY}", "Accept": "application/json"})
            if answer.status_code != 200:
                broken.append(f"{answer.status_code} {link}")
                continue
            pending |= links_in(answer.json()) - seen
    assert not broken, broken
    paths = [link.removeprefix(server.base_url).split("/") for link in seen]
    walked = {parts[3] for parts in paths if parts[1] == "bibs" and len(parts) > 3}
    assert {"holdings", "portfolios"} <= walked, walked  # the walk reached holdings, items and portfolios
    assert any("/items/" in link for link in seen)


def test_community_zone_portfolios_carry_no_link_that_would_not_resolve(server):
    with httpx.Client(timeout=30) as http:
        listed = http.get(f"{server.url}/almasim/v1/librarian/community-zone/portfolios",
                          params={"q": "isbn~9780300120004", "apikey": KEY, "format": "json"}).json()
        assert listed["portfolio"], listed
        for link in links_in(listed):
            assert http.get(link, params={"apikey": KEY}).status_code == 200, link
