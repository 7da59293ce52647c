"""Without Chromium the browser tests skip with one clear line locally, and fail under CI (CI set)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_browser_test(ci: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["ALMASIM_CHROMIUM"] = "/nonexistent/chromium"
    if ci:
        env["CI"] = "1"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-p", "no:randomly",
                           "tests/ui/test_browser.py", "-k", "keyboard"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("ci", [False, True], ids=["locally", "under CI"])
def test_no_browser(ci):
    done = run_browser_test(ci)
    if ci:
        assert done.returncode != 0 and "browser tests need a browser under CI: no Chromium at /nonexistent" \
            in done.stdout, done.stdout
    else:
        assert done.returncode == 0, done.stdout
        lines = [line for line in done.stdout.splitlines() if "browser tests skipped" in line]
        assert len(lines) == 1 and "no Chromium at /nonexistent/chromium (apt-get install -y chromium)" in lines[0]
