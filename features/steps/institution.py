"""Steps about the institution a scenario runs in: the Background of every feature."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers

INSTITUTIONS = {"Hudson Valley University": "01TRLC_HVU", "Riverside College": "01TRLC_RVC",
                "Lakeshore State University": "01TRLC_LSU"}
# The institution the scenario runs in, kept on the test item: the vendors' carts need it for their setup.
INSTITUTION = pytest.StashKey[str]()


@given(parsers.parse("{institution} is set up for real-time ordering"), target_fixture="alma")
def institution_set_up(request, connect, institution):
    alma = connect(INSTITUTIONS[institution])
    assert "OK" in alma.test(), f"{institution} does not answer"
    request.node.stash[INSTITUTION] = INSTITUTIONS[institution]
    return alma


def institution_of(request) -> str:
    return request.node.stash.get(INSTITUTION, INSTITUTIONS["Hudson Valley University"])
