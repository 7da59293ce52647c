"""`almasim serve --state FILE` loses nothing it acknowledged: every write answered with success is in FILE (a
SQLite database: a snapshot and a log of committed changes) before its answer leaves. kill -9 in the middle of
several writers, round after round: every acknowledged order is back, no PO line number is given twice, the clock
and the ID sequences continue, tenants stay. A clean stop compacts; a JSON state file of before is imported and
kept beside; a corrupt state file at start is one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from alma_requests import KEY, start_almasim_serve, stop_almasim_serve

from simulator.alma import snapshot
from simulator.api.service import AlmaService

JSON = {"accept": "application/json"}
ADMIN = "/almasim/v1/admin"
SQLITE = b"SQLite format 3\x00"


def _base(process: subprocess.Popen) -> str:
    line = process.stdout.readline()
    assert line, process.stderr.read()
    return json.loads(line)["base_url"]


def _admin(base: str) -> str:
    return base.removesuffix("/almaws/v1") + ADMIN


def _order_body(title: str) -> dict:
    # no price and no fund: thousands of them never run a fund dry
    return {"owner": {"value": "MAIN"}, "type": {"value": "PRINTED_BOOK_OT"}, "resource_metadata": {"title": title},
            "location": [{"quantity": 1, "library": {"value": "MAIN"}, "shelving_location": "STACKS"}]}


def _order(base: str, title: str = "Durable") -> str:
    response = httpx.post(f"{base}/acq/po-lines", params={"apikey": KEY}, json=_order_body(title), headers=JSON,
                          timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.json()["number"]


def _title(base: str, number: str) -> str | None:
    response = httpx.get(f"{base}/acq/po-lines/{number}", params={"apikey": KEY}, headers=JSON, timeout=30)
    return response.json()["resource_metadata"]["title"] if response.status_code == 200 else None


def _now(base: str) -> dt.datetime:
    return dt.datetime.fromisoformat(httpx.get(f"{_admin(base)}/clock", timeout=10).json()["now"])


def _number(po_line: str) -> int:
    return int(po_line.removeprefix("POL-"))


def test_kill_9_during_writes_loses_no_acknowledged_order_and_reissues_no_number(tmp_path):
    state = tmp_path / "alma.state"
    acknowledged: dict[str, str] = {}  # PO line number -> the title it was ordered under
    reissued: list[str] = []
    last_clock = None
    tenants: list[str] = []
    for round_ in range(3):
        process = start_almasim_serve("--json", "--state", str(state))
        try:
            base = _base(process)
            if last_clock is not None:
                assert _now(base) >= last_clock  # the clock continues, it never goes back
            missing = {n for n, title in acknowledged.items() if _title(base, n) != title}
            assert not missing, f"round {round_}: {len(missing)} of {len(acknowledged)} acknowledged orders lost"
            world = httpx.get(f"{_admin(base)}/world", timeout=10).json()
            assert set(tenants) <= {i["code"] for i in world["institutions"]}
            made = httpx.post(f"{_admin(base)}/tenants", json={"template": "01TRLC_HVU"}, timeout=10)
            assert made.status_code == 201
            tenants.append(made.json()["code"])
            new: list[tuple[str, str]] = []
            stop = threading.Event()

            def writer(k: int) -> None:
                with httpx.Client(timeout=10, headers=JSON, params={"apikey": KEY}) as client:
                    i = 0
                    while not stop.is_set():
                        title = f"Durable {round_}-{k}-{i}"
                        try:
                            answer = client.post(f"{base}/acq/po-lines", json=_order_body(title))
                        except httpx.HTTPError:
                            return  # killed: this one was never acknowledged
                        if answer.status_code == 200:
                            new.append((answer.json()["number"], title))
                        i += 1

            writers = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
            for thread in writers:
                thread.start()
            deadline = time.monotonic() + 20
            while len(new) < 40 and time.monotonic() < deadline:
                time.sleep(0.05)
            last_clock = _now(base)
            os.kill(process.pid, signal.SIGKILL)  # mid-burst
            for thread in writers:
                thread.join()
            stop.set()
        finally:
            if process.poll() is None:
                process.kill()
            process.communicate(timeout=30)
        assert len(new) >= 40, "the writers did not get going"
        reissued += [n for n, _ in new if n in acknowledged]
        acknowledged.update(new)
    assert not reissued, f"{len(reissued)} PO line numbers given twice after a crash"
    assert state.read_bytes()[:16] == SQLITE

    process = start_almasim_serve("--json", "--state", str(state))
    try:
        base = _base(process)
        missing = {n for n, title in acknowledged.items() if _title(base, n) != title}
        assert not missing, f"{len(missing)} of {len(acknowledged)} acknowledged orders lost"
        following = _order(base)
        assert _number(following) > max(_number(n) for n in acknowledged)  # the ID sequence continues
    finally:
        assert stop_almasim_serve(process) == 0


def test_a_clean_stop_compacts_and_the_next_server_continues(tmp_path):
    state = tmp_path / "alma.state"
    process = start_almasim_serve("--json", "--state", str(state))
    try:
        base = _base(process)
        numbers = [_order(base, f"Kept {i}") for i in range(3)]
    finally:
        assert stop_almasim_serve(process) == 0
    assert state.read_bytes()[:16] == SQLITE
    assert not Path(f"{state}-wal").exists() or Path(f"{state}-wal").stat().st_size == 0  # checkpointed

    process = start_almasim_serve("--json", "--state", str(state))
    try:
        base = _base(process)
        assert [_title(base, n) for n in numbers] == ["Kept 0", "Kept 1", "Kept 2"]
        assert _number(_order(base)) == _number(numbers[-1]) + 1
    finally:
        assert stop_almasim_serve(process) == 0


def test_replaying_the_log_gives_the_world_that_was_answered(tmp_path):
    """In process: a service with a store, then a second service on the same file without a clean stop (the
    first is abandoned, as after kill -9): the same world, snapshot for snapshot."""
    state = tmp_path / "alma.state"
    first = AlmaService()
    first.open_store(state)
    first.compact_every = 7  # compaction mid-way, too
    from simulator.api.handlers import Call, find_route
    route, params, _ = find_route("POST", "/almaws/v1/acq/po-lines")
    hvu = first.world.institutions["01TRLC_HVU"]
    for i in range(20):
        call = Call(world=first.world, institution=hvu, clock=first.clock, params=params, query={},
                    body=_order_body(f"Replayed {i}"))
        first.execute(route, call)
        first.advance_clock(60) if i == 10 else None
    first.add_tenant()
    second = AlmaService()
    second.open_store(state)
    assert snapshot.dump(second.world) == snapshot.dump(first.world)
    assert second.clock.now() == first.clock.now()
    first.store.close()  # type: ignore[union-attr]
    second.close()


def test_a_json_state_file_of_before_is_imported_and_kept_beside(tmp_path):
    state = tmp_path / "alma-state.json"
    service = AlmaService()
    service.add_tenant(code="OLD_STATE")
    state.write_text(json.dumps(service.export()), "utf-8")
    process = start_almasim_serve("--json", "--state", str(state))
    try:
        base = _base(process)
        world = httpx.get(f"{_admin(base)}/world", timeout=10).json()
        assert "OLD_STATE" in {i["code"] for i in world["institutions"]}
    finally:
        assert stop_almasim_serve(process) == 0
    assert state.read_bytes()[:16] == SQLITE
    assert json.loads((tmp_path / "alma-state.json.pre-sqlite.json").read_text("utf-8"))["format"] == snapshot.FORMAT


def _truncated(tmp_path: Path) -> bytes:
    state = tmp_path / "good.state"
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
    "a damaged database": SQLITE + b"\x00" * 200,
}


def test_a_corrupt_state_file_at_start_is_one_line_and_a_non_zero_exit(tmp_path):
    files = {name: tmp_path / f"{i}.state" for i, name in enumerate(CORRUPT)}
    for name, path in files.items():
        path.write_bytes(CORRUPT[name])
    files["truncated database"] = tmp_path / "truncated.state"
    files["truncated database"].write_bytes(_truncated(tmp_path))
    files["a directory"] = tmp_path / "a-directory"
    files["a directory"].mkdir()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    running = {name: subprocess.Popen([sys.executable, "-m", "simulator.cli", "serve", "--port", "0", "--state",
                                       str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
               for name, path in files.items()}
    for name, process in running.items():
        try:
            out, err = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            pytest.fail(f"{name}: the server started on a corrupt state file")
        assert process.returncode != 0, (name, out, err)
        assert "Traceback" not in err, (name, err)
        assert err.strip() and err.strip().count("\n") == 0, (name, err)
        assert err.startswith("almasim serve: "), (name, err)
        assert not out.strip(), (name, out)
    for name in CORRUPT:
        assert files[name].read_bytes() == CORRUPT[name], f"{name}: a refused state file must be left as it was"
