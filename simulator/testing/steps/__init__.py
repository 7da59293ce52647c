"""The step library: the librarian's and the vendor's sentences for Gherkin features, shipped with almasim.

One module per area (the institution, carts, orders, funds, profiles, catalogue, portfolios, review, review rules,
vendor keys, lifecycle, trouble); the underscored modules are their shared helpers (`_types`: the parameter types, the one dictionary
between the librarian's words and Alma's codes; `_alma`: reads through the client; `_cart`: the scenario's
vendor cart; `_trouble`: the simulator's fault rules). `GLOSSARY.md` beside them gives every word its one meaning.

The almasim pytest plugin (simulator.testing.plugin) registers every module of `STEP_MODULES` as a pytest
plugin, so any `.feature` file bound with pytest-bdd's `scenarios(...)` finds these steps after
`pip install almasim`, with no copy of them. Steps talk to Alma only through `AlmaClient`
(simulator.backends.base), never the domain, so they run against a real Alma too; they import nothing from the
project's features/ or tests/.

A new step module goes here and gets one line in `STEP_MODULES`.
"""

from __future__ import annotations

from pathlib import Path

STEP_MODULES = [
    "simulator.testing.steps.institution",
    "simulator.testing.steps.carts",
    "simulator.testing.steps.orders",
    "simulator.testing.steps.funds",
    "simulator.testing.steps.profiles",
    "simulator.testing.steps.catalogue",
    "simulator.testing.steps.portfolios",
    "simulator.testing.steps.review",
    "simulator.testing.steps.review_rules",
    "simulator.testing.steps.vendor_keys",
    "simulator.testing.steps.lifecycle",
    "simulator.testing.steps.invoicing",
    "simulator.testing.steps.interested_users",
    "simulator.testing.steps.continuous",
    "simulator.testing.steps.trouble",
    "simulator.testing.steps.vendor_tools",
]

GLOSSARY = Path(__file__).with_name("GLOSSARY.md")
