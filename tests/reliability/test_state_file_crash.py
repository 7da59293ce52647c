"""`almasim serve --state FILE` never leaves a half-written FILE: SIGTERM saves it atomically (a temporary file,
fsync, then a rename), a server killed while saving leaves the last good state (or the new one, whole), never a
truncated file, and the next server restores it. A corrupt state file at start is one line on stderr and a
non-zero exit, never a traceback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from alma_requests import KEY, po_line, start_almasim_serve, stop_almasim_serve

from simulator.alma import snapshot

JSON = {"accept": "application/json"}


def _base(process: subprocess.Popen) -> str:
    line = process.stdout.readline()
    assert line, process.stderr.read()
    return json.loads(line)["base_url"]


def _order(base: str, **changes) -> str:
    response = httpx.post(f"{base}/acq/po-lines", params={"apikey": KEY}, json=po_line(**changes), headers=JSON,
                          timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.json()["number"]


def _has(base: str, number: str) -> bool:
    response = httpx.get(f"{base}/acq/po-lines/{number}", params={"apikey": KEY}, headers=JSON, timeout=10)
    return response.status_code == 200


def _temporaries(state: Path) -> list[Path]:
    return [Path(entry.path) for entry in os.scandir(state.parent)
            if entry.name.startswith(f".{state.name}.") and entry.name.endswith(".tmp")]


def _is_snapshot(state: Path) -> dict:
    data = json.loads(state.read_bytes().decode("utf-8"))  # whole JSON, or the test fails here
    assert data["format"] == snapshot.FORMAT
    return data


def test_sigterm_saves_the_state_atomically_and_a_new_server_restores_it(tmp_path):
    state = tmp_path / "alma-state.json"
    process = start_almasim_serve("--json", "--state", str(state))
    try:
        base = _base(process)
        numbers = [_order(base) for _ in range(3)]
    finally:
        assert stop_almasim_serve(process) == 0
    _is_snapshot(state)
    assert not _temporaries(state)

    process = start_almasim_serve("--json", "--state", str(state))
    try:
        base = _base(process)
        assert all(_has(base, number) for number in numbers)
        following = _order(base)
        assert int(following.removeprefix("POL-")) == int(numbers[-1].removeprefix("POL-")) + 1
    finally:
        assert stop_almasim_serve(process) == 0


def test_a_server_killed_while_saving_leaves_the_last_good_state_for_the_next(tmp_path):
    state = tmp_path / "alma-state.json"
    process = start_almasim_serve("--json", "--state", str(state))
    try:
        kept = _order(_base(process))
    finally:
        assert stop_almasim_serve(process) == 0
    last_good = state.read_bytes()

    # A big world (about 16 MB of notes) makes the save long enough to be killed in the middle of it.
    process = start_almasim_serve("--json", "--state", str(state))
    caught_writing = False
    try:
        base = _base(process)
        big = [_order(base, note=[{"content": f"{i:02d}" + "n" * 800_000}]) for i in range(20)]
        process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            if _temporaries(state):
                process.send_signal(signal.SIGKILL)  # in the middle of writing the temporary file
                caught_writing = True
                break
    finally:
        if process.poll() is None and not caught_writing:
            process.kill()
        process.communicate(timeout=30)

    data = _is_snapshot(state)  # never truncated: the old file whole, or the new one whole
    if state.read_bytes() != last_good:
        assert not caught_writing or _temporaries(state) == [], "renamed, yet a temporary file remains"
        assert big[-1] in json.dumps(data)

    process = start_almasim_serve("--json", "--state", str(state))
    try:
        base = _base(process)
        assert _has(base, kept)  # the last good state, restored
        assert _has(base, big[0]) == (state.read_bytes() != last_good)
        after_crash = _order(base)
    finally:
        assert stop_almasim_serve(process) == 0
    _is_snapshot(state)
    assert after_crash in state.read_text("utf-8")


def test_leftover_temporary_files_of_a_crashed_save_are_ignored(tmp_path):
    state = tmp_path / "alma-state.json"
    process = start_almasim_serve("--json", "--state", str(state))
    try:
        kept = _order(_base(process))
    finally:
        assert stop_almasim_serve(process) == 0
    good = state.read_bytes()
    (tmp_path / f".{state.name}.k1lled.tmp").write_bytes(good[: len(good) // 2])  # a save cut short
    (tmp_path / f".{state.name}.empty.tmp").write_bytes(b"")

    process = start_almasim_serve("--json", "--state", str(state))
    try:
        base = _base(process)
        assert _has(base, kept)
        more = _order(base)
    finally:
        assert stop_almasim_serve(process) == 0
    assert more in json.dumps(_is_snapshot(state))


def _truncated(tmp_path: Path) -> bytes:
    state = tmp_path / "good.json"
    process = start_almasim_serve("--json", "--state", str(state))
    try:
        _base(process)
    finally:
        assert stop_almasim_serve(process) == 0
    good = state.read_bytes()
    return good[: len(good) // 3]


CORRUPT = {
    "empty": b"",
    "not JSON": b"this is not a snapshot\n",
    "binary garbage": b"\xff\xfe\x00\x81garbage\x00",
    "a JSON array": b"[1, 2, 3]",
    "another format": b'{"format": "almasim-world/0"}',
    "damaged institutions": json.dumps({"format": snapshot.FORMAT, "institutions": 5}).encode(),
    "damaged fields": json.dumps({"format": snapshot.FORMAT, "institutions": {"X": {"code": []}}}).encode(),
}


def test_a_corrupt_state_file_at_start_is_one_line_and_a_non_zero_exit(tmp_path):
    files = {name: tmp_path / f"{i}.json" for i, name in enumerate(CORRUPT)}
    for name, path in files.items():
        path.write_bytes(CORRUPT[name])
    files["truncated save"] = tmp_path / "truncated.json"
    files["truncated save"].write_bytes(_truncated(tmp_path))
    files["a directory"] = tmp_path / "a-directory"
    files["a directory"].mkdir()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    running = {name: subprocess.Popen([sys.executable, "-m", "simulator.cli", "serve", "--port", "0", "--state",
                                       str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
               for name, path in files.items()}
    for name, process in running.items():
        try:
            out, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            pytest.fail(f"{name}: the server started on a corrupt state file")
        assert process.returncode != 0, (name, out, err)
        assert "Traceback" not in err, (name, err)
        assert err.strip() and err.strip().count("\n") == 0, (name, err)
        assert err.startswith("almasim serve: "), (name, err)
        assert not out.strip(), (name, out)
