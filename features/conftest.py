"""The project's features use the step library exactly as a user's features do: the almasim pytest plugin
(registered by entry point) brings the steps (simulator.testing.steps) and the fixtures. The only project bit
is the evidence plugin, always loaded here so `--almasim-evidence` works without `-p` (see
docs/living-documentation.md).
"""

pytest_plugins = ["simulator.testing.evidence_plugin"]
