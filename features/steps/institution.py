"""Steps about the institution a scenario runs in: the Background of every feature."""

from __future__ import annotations

from pytest_bdd import given, parsers

INSTITUTIONS = {"Hudson Valley University": "01TRLC_HVU", "Riverside College": "01TRLC_RVC",
                "Lakeshore State University": "01TRLC_LSU"}


@given(parsers.parse("{institution} is set up for real-time ordering"), target_fixture="alma")
def institution_set_up(connect, institution):
    alma = connect(INSTITUTIONS[institution])
    assert "OK" in alma.test(), f"{institution} does not answer"
    return alma
