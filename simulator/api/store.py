"""Durable state for `almasim serve --state FILE`: one SQLite database in WAL mode holding the latest snapshot
of the world and an append-only log of every committed change made since.

The format of FILE (SQLite 3, `PRAGMA user_version = 2`):

    snapshot(id = 1, seq, at, tenants, world)   the world (snapshot.dump as JSON) after log entry `seq`,
                                                the clock's time then and the tenant counter
    log(seq, at, kind, entry)                   one committed change: kind "call" (a write route's call),
                                                "tenant_add" or "tenant_remove"; `entry` is JSON

Every append is its own transaction with `synchronous = FULL`, so it is on disk (the WAL fsynced) when
`append` returns. Compaction writes a new snapshot and drops the entries it covers in one transaction: a crash
leaves either the old snapshot with its log or the new one. A state file of the JSON format written before
(a snapshot, `{"format": "almasim-world/1", …}`) is read once and kept beside as FILE.pre-sqlite.json.
Owns only the file; what an entry means (and replaying it) is durability.py's. Imports sqlite3 and json.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.errors import HarnessError

__all__ = ["Store", "Base", "Entry"]

_VERSION = 2
_SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass
class Base:
    """What a restart starts from: the last snapshot and the log position it covers."""

    seq: int
    at: str
    tenants: int
    world: dict


@dataclass
class Entry:
    seq: int
    at: str
    kind: str
    entry: dict


class Store:
    def __init__(self, path: Path | str) -> None:
        """Open (or create) the state database at `path`. A JSON state file there is read into `legacy` and only
        moved aside by `connect`, once the caller has loaded it without error."""
        self.path = Path(path)
        self.legacy: dict | None = None  # a JSON state file found at `path` (the format before SQLite)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self.seq = 0
        self.since_snapshot = 0
        if self.path.exists():
            if self.path.is_dir():
                raise HarnessError(f"state file {self.path} is a directory")
            with self.path.open("rb") as handle:
                head = handle.read(16)
            if not head:
                raise HarnessError(f"state file {self.path} is empty (a lost file?); remove it to start afresh")
            if head != _SQLITE_MAGIC:
                self.legacy = _read_legacy(self.path)
                return
        self.connect()

    def connect(self) -> None:
        if self._db is not None:
            return
        if self.legacy is not None:
            self.path.replace(self.path.with_name(self.path.name + ".pre-sqlite.json"))
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, _VERSION):
                raise HarnessError(f"state file {self.path} is of an unknown version {version}")
            self._db.execute("CREATE TABLE IF NOT EXISTS snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), "
                             "seq INTEGER NOT NULL, at TEXT NOT NULL, tenants INTEGER NOT NULL, world TEXT NOT NULL)")
            self._db.execute("CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, "
                             "kind TEXT NOT NULL, entry TEXT NOT NULL)")
            self._db.execute(f"PRAGMA user_version = {_VERSION}")
            last = self._db.execute("SELECT max(seq) FROM log").fetchone()[0] or 0
            row = self._db.execute("SELECT seq FROM snapshot WHERE id = 1").fetchone()
        except sqlite3.DatabaseError as exc:
            raise HarnessError(f"state file {self.path} is not a readable almasim state database: {exc}") from None
        covered = row[0] if row else 0
        self.seq = max(last, covered)
        self.since_snapshot = max(0, last - covered)

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise HarnessError("the state database is not open")
        return self._db

    # -- reading at start -----------------------------------------------------------------------------------------
    def base(self) -> Base | None:
        try:
            row = self.db.execute("SELECT seq, at, tenants, world FROM snapshot WHERE id = 1").fetchone()
            if row is None:
                return None
            world = json.loads(row[3])
        except (sqlite3.DatabaseError, json.JSONDecodeError) as exc:
            raise HarnessError(f"state file {self.path}: the snapshot is damaged: {exc}") from None
        return Base(seq=row[0], at=row[1], tenants=row[2], world=world)

    def entries(self, after: int) -> Iterator[Entry]:
        try:
            rows = self.db.execute("SELECT seq, at, kind, entry FROM log WHERE seq > ? ORDER BY seq", (after,)).fetchall()
            entries = [Entry(seq, at, kind, json.loads(text)) for seq, at, kind, text in rows]
        except (sqlite3.DatabaseError, json.JSONDecodeError) as exc:
            raise HarnessError(f"state file {self.path}: the log is damaged: {exc}") from None
        yield from entries

    # -- writing ------------------------------------------------------------------------------------------------
    def append(self, kind: str, at: str, entry: dict[str, Any]) -> int:
        """Log one committed change; durable when this returns. The caller serializes appends (log order is
        commit order)."""
        text = json.dumps(entry, ensure_ascii=True, separators=(",", ":"))
        with self._lock:
            seq = self.seq + 1
            self.db.execute("INSERT INTO log (seq, at, kind, entry) VALUES (?, ?, ?, ?)", (seq, at, kind, text))
            self.seq = seq
            self.since_snapshot += 1
            return seq

    def compact(self, world: dict, at: str, tenants: int) -> None:
        """A new snapshot covering every entry so far; the entries it covers are dropped (one transaction)."""
        text = json.dumps(world, ensure_ascii=True, separators=(",", ":"))
        with self._lock:
            db = self.db
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("INSERT OR REPLACE INTO snapshot (id, seq, at, tenants, world) VALUES (1, ?, ?, ?, ?)",
                                 (self.seq, at, tenants, text))
                db.execute("DELETE FROM log WHERE seq <= ?", (self.seq,))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            self.since_snapshot = 0

    def close(self) -> None:
        with self._lock:
            if self._db is None:
                return
            try:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                self._db.close()
                self._db = None


def _read_legacy(path: Path) -> dict:
    try:
        data = json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise HarnessError(f"state file {path} is neither an almasim state database nor JSON: {exc}") from None
    except UnicodeDecodeError as exc:
        raise HarnessError(f"state file {path} is not UTF-8 JSON (byte {exc.start})") from None
    if not isinstance(data, dict):
        raise HarnessError(f"state file {path} is not a world snapshot")
    return data
