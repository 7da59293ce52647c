"""Steps about the institution a scenario runs in: the Background of every feature, and the connection the steps
use (`alma_recording_connect`: the plugin's `alma_connect`, each client wrapped in a `RecordingBackend`, so the
living documentation shows what every scenario sent to Alma and what Alma answered).

An institution is named as the world names it: the default consortium's "Hudson Valley University", "Riverside
College", "Lakeshore State University", or the institution of a world file (`--alma-world`, e.g. from
`almasim clone`); its code is accepted too. Against a real Alma the key decides the institution, and any name
is taken as written.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytest_bdd import given, parsers

from simulator.backends import AlmaClient
from simulator.testing.evidence import RecordingBackend

# The institution the scenario runs in, kept on the test item: the vendors' carts need it for their setup.
INSTITUTION = pytest.StashKey[str]()


@pytest.fixture
def alma_recording_connect(alma_connect: Callable[[str], AlmaClient]) -> Callable[[str], AlmaClient]:
    """`alma_recording_connect(institution)`: a fresh AlmaClient for one institution, recording its evidence."""
    def open_institution(institution: str) -> AlmaClient:
        return AlmaClient(RecordingBackend(alma_connect(institution).backend))
    return open_institution


def institution_code(name: str, institutions: dict[str, str], real: bool) -> str:
    """The code of the institution a feature names (by its name or its code)."""
    if name in institutions:
        return institutions[name]
    if name in institutions.values() or real:
        return name
    raise ValueError(f"no institution named {name!r} in the world; known: {', '.join(institutions)}")


@given(parsers.parse("{institution} is set up for real-time ordering"), target_fixture="alma")
def institution_set_up(request, alma_recording_connect, alma_institutions, institution):
    code = institution_code(institution, alma_institutions,
                            request.config.getoption("--alma-backend") == "real")
    alma = alma_recording_connect(code)
    assert "OK" in alma.test(), f"{institution} does not answer"
    request.node.stash[INSTITUTION] = code
    return alma


def institution_of(request) -> str:
    """The code of the institution the scenario runs in (the world's first when no step named one)."""
    if INSTITUTION in request.node.stash:
        return request.node.stash[INSTITUTION]
    return next(iter(request.getfixturevalue("alma_institutions").values()))
