"""The README's Python examples run exactly as written and print what their comments say."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def _expected(block: str) -> list[str]:
    """The first words of each `print(...)   # expected` comment."""
    return [m.group(1).split(":")[0].strip() for m in re.finditer(r"^print\(.*?#\s*(.+)$", block, flags=re.M)]


def test_readme_has_python_examples():
    assert len(_python_blocks()) >= 2


def test_each_readme_example_runs_and_prints_what_it_says():
    for block in _python_blocks():
        if "def test_" in block:  # the plugin example: tests/plugin runs it with pytest
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, "README.md", "exec"), {})
        printed = out.getvalue().splitlines()
        assert printed == _expected(block), block


def test_the_readmes_rehearsal_table_is_what_almasim_rehearse_prints(capsys):
    """The main job's sample output in the README is the real output of `almasim rehearse` (same seed)."""
    from simulator.cli import main

    block = re.search(r"```\n(Rehearsal: seed 42.*?)```", README.read_text(encoding="utf-8"), flags=re.S).group(1)
    assert main(["rehearse"]) == 0
    printed = capsys.readouterr().out
    assert block.strip() in printed
