"""The sandbox's state: SQLite storage and the API's business rules over it.

One file (or `:memory:`), WAL mode (a rollback journal on a network filesystem:
sqlite_files.py), every write in one transaction, so a killed server loses nothing it had
answered as saved. Derived fields (`active`, `booking_rate`, `team_name`) are computed when
read, against the store's clock, so a campaign whose end passes turns inactive by itself.
Everything here returns plain dicts shaped like the API's objects.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import random
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from skipup_campaigns.sandbox import rules
from skipup_campaigns.sqlite_files import use_journal_for

IDEMPOTENCY_TTL = timedelta(hours=24)
_MAX_SEQ = 2**63 - 1  # SQLite's largest INTEGER

_SCHEMA = """
CREATE TABLE IF NOT EXISTS workspaces (
    id TEXT PRIMARY KEY,
    handle TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS teams (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    description TEXT,
    mode TEXT NOT NULL,
    email_address TEXT,
    member_count INTEGER NOT NULL DEFAULT 0,
    stack_always_apply INTEGER NOT NULL DEFAULT 0,
    include_all_members INTEGER NOT NULL DEFAULT 0,
    introduce_member INTEGER NOT NULL DEFAULT 0,
    introduction_guidance TEXT,
    deactivated_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS campaigns (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    description TEXT,
    email_address TEXT,
    team_id TEXT NOT NULL REFERENCES teams(id),
    starts_at TEXT,
    ends_at TEXT,
    deactivated_at TEXT,
    meeting_request_count INTEGER NOT NULL DEFAULT 0,
    meetings_booked_count INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (workspace_id, slug)
);
CREATE INDEX IF NOT EXISTS campaigns_by_age ON campaigns (workspace_id, created_at DESC, seq DESC);
CREATE INDEX IF NOT EXISTS teams_by_age ON teams (workspace_id, created_at DESC, seq DESC);
CREATE TABLE IF NOT EXISTS idempotency (
    api_key TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (api_key, idem_key)
);
"""

_CAMPAIGN_COLUMNS = """
    c.seq, c.id, c.name, c.slug, c.description, c.email_address, c.team_id, t.name AS team_name,
    c.starts_at, c.ends_at, c.deactivated_at, c.meeting_request_count, c.meetings_booked_count,
    c.created_at, c.updated_at
"""
_ACTIVE_SQL = "(c.deactivated_at IS NULL AND (c.ends_at IS NULL OR c.ends_at > :now))"


class ApiError(Exception):
    """A failure the API reports to the caller: status, error type and message."""

    def __init__(self, status: int, type_: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.type = type_
        self.message = message


def validation_error(message: str) -> ApiError:
    return ApiError(422, "validation_error", message)


def invalid_request(message: str) -> ApiError:
    return ApiError(422, "invalid_request", message)


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"{what} not found")


def encode_cursor(created_at: str, seq: int) -> str:
    raw = json.dumps([created_at, seq], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int]:
    """The position a cursor names; `invalid_request` for anything we did not issue: not
    base64 JSON, nested (however deep), a timestamp not in our wire form (a lone surrogate
    included), or a position beyond SQLite's integers."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created_at, seq = json.loads(raw)
        if (
            isinstance(created_at, str)
            and rules.is_wire_timestamp(created_at)
            and isinstance(seq, int)
            and not isinstance(seq, bool)
            and 0 <= seq <= _MAX_SEQ
        ):
            return created_at, seq
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, RecursionError):
        pass
    raise invalid_request("cursor is not valid")


class Store:
    """Campaigns and teams of every workspace, in one SQLite database."""

    def __init__(
        self,
        path: str = ":memory:",
        *,
        clock: Callable[[], datetime] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.path = path
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self._rng = rng or random.Random(secrets.randbits(64))
        self._lock = threading.RLock()
        _create_private(path)
        # One connection shared by the server's threads, serialised by the lock.
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        if path != ":memory:":  # WAL, or a rollback journal on a network filesystem
            use_journal_for(self._db, Path(path))
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- helpers -------------------------------------------------------------------------------

    def now(self) -> str:
        return rules.format_timestamp(self.clock())

    def new_id(self, prefix: str) -> str:
        return rules.new_id(prefix, self.clock(), self._rng)

    def _write(self, sql_and_params: Iterable[tuple[str, Any]]) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in sql_and_params:
                    self._db.execute(sql, params)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def is_empty(self) -> bool:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM workspaces").fetchone()[0] == 0

    # -- seeding -------------------------------------------------------------------------------

    def add_workspace(self, workspace_id: str, handle: str, name: str) -> None:
        self._write(
            [
                (
                    "INSERT INTO workspaces (id, handle, name) VALUES (?, ?, ?)",
                    (workspace_id, handle, name),
                )
            ]
        )

    def add_teams(self, teams: Iterable[dict[str, Any]]) -> None:
        sql = """INSERT INTO teams (id, workspace_id, name, slug, description, mode, email_address,
                 member_count, stack_always_apply, include_all_members, introduce_member,
                 introduction_guidance, deactivated_at, created_at, updated_at)
                 VALUES (:id, :workspace_id, :name, :slug, :description, :mode, :email_address,
                 :member_count, :stack_always_apply, :include_all_members, :introduce_member,
                 :introduction_guidance, :deactivated_at, :created_at, :updated_at)"""
        self._write((sql, team) for team in teams)

    def add_campaigns(self, campaigns: Iterable[dict[str, Any]]) -> None:
        """Insert ready-made rows in one transaction (seed data: no rules are applied)."""
        sql = """INSERT INTO campaigns (id, workspace_id, name, slug, description, email_address,
                 team_id, starts_at, ends_at, deactivated_at, meeting_request_count,
                 meetings_booked_count, created_at, updated_at)
                 VALUES (:id, :workspace_id, :name, :slug, :description, :email_address,
                 :team_id, :starts_at, :ends_at, :deactivated_at, :meeting_request_count,
                 :meetings_booked_count, :created_at, :updated_at)"""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(sql, campaigns)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def record_requests(self, campaign_id: str, requests: int, booked: int) -> None:
        """Attribute meeting requests to a campaign (counts only ever grow, as in SkipUp)."""
        self._write(
            [
                (
                    """UPDATE campaigns SET meeting_request_count = meeting_request_count + ?,
                         meetings_booked_count = meetings_booked_count + ? WHERE id = ?""",
                    (requests, booked, campaign_id),
                )
            ]
        )

    def deactivate_team(self, team_id: str) -> None:
        """Retire a team (the API has no call for it; the sandbox's own tools and tests do)."""
        now = self.now()
        self._write(
            [
                (
                    "UPDATE teams SET deactivated_at = ?, updated_at = ? WHERE id = ?",
                    (now, now, team_id),
                )
            ]
        )

    def workspace_handle(self, workspace_id: str) -> str:
        with self._lock:
            row = self._db.execute(
                "SELECT handle FROM workspaces WHERE id = ?", (workspace_id,)
            ).fetchone()
        return row["handle"]

    # -- campaigns -----------------------------------------------------------------------------

    def _campaign_out(self, row: sqlite3.Row, now: str) -> dict[str, Any]:
        deactivated = row["deactivated_at"]
        ended = row["ends_at"] is not None and row["ends_at"] <= now
        return {
            "id": row["id"],
            "name": row["name"],
            "slug": row["slug"],
            "description": row["description"],
            "email_address": row["email_address"],
            "team_id": row["team_id"],
            "team_name": row["team_name"],
            "active": deactivated is None and not ended,
            "starts_at": row["starts_at"],
            "ends_at": row["ends_at"],
            "deactivated_at": deactivated,
            "meeting_request_count": row["meeting_request_count"],
            "meetings_booked_count": row["meetings_booked_count"],
            "booking_rate": rules.booking_rate(
                row["meeting_request_count"], row["meetings_booked_count"]
            ),
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }

    def _campaign_row(self, workspace_id: str, campaign_id: str) -> sqlite3.Row:
        row = self._db.execute(
            f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns c JOIN teams t ON t.id = c.team_id "
            "WHERE c.workspace_id = ? AND c.id = ?",
            (workspace_id, campaign_id),
        ).fetchone()
        if row is None:
            raise not_found("Campaign")
        return row

    def list_campaigns(
        self, workspace_id: str, *, active: bool | None, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page, newest first; the cursor names a position, so writes never shift pages."""
        now = self.now()
        where = ["c.workspace_id = :ws"]
        params: dict[str, Any] = {"ws": workspace_id, "now": now, "limit": limit + 1}
        if active is True:
            where.append(_ACTIVE_SQL)
        elif active is False:
            where.append(f"NOT {_ACTIVE_SQL}")
        if cursor is not None:
            params["c_at"], params["c_seq"] = decode_cursor(cursor)
            where.append("(c.created_at < :c_at OR (c.created_at = :c_at AND c.seq < :c_seq))")
        sql = (
            f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns c JOIN teams t ON t.id = c.team_id "
            f"WHERE {' AND '.join(where)} ORDER BY c.created_at DESC, c.seq DESC LIMIT :limit"
        )
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        page = rows[:limit]
        next_cursor = None
        if len(rows) > limit:
            last = page[-1]
            next_cursor = encode_cursor(last["created_at"], last["seq"])
        return [self._campaign_out(r, now) for r in page], next_cursor

    def get_campaign(self, workspace_id: str, campaign_id: str) -> dict[str, Any]:
        with self._lock:
            return self._campaign_out(self._campaign_row(workspace_id, campaign_id), self.now())

    def create_campaign(self, workspace_id: str, body: dict[str, Any]) -> dict[str, Any]:
        if "name" not in body:
            raise validation_error("name is required")
        if "team_id" not in body:
            raise validation_error("team_id is required")
        fields = _clean_fields(body)
        with self._lock:
            self._check_team(workspace_id, fields["team_id"], current=None)
            _check_dates(fields.get("starts_at"), fields.get("ends_at"))
            taken = self._slugs_like(workspace_id, rules.slugify(fields["name"]))
            slug = rules.unique_slug(rules.slugify(fields["name"]), taken)
            now = self.now()
            campaign_id = self.new_id("cmp_")
            row = {
                "id": campaign_id,
                "workspace_id": workspace_id,
                "name": fields["name"],
                "slug": slug,
                "description": fields.get("description"),
                "email_address": f"{slug}.{self.workspace_handle(workspace_id)}@skipup.co",
                "team_id": fields["team_id"],
                "starts_at": fields.get("starts_at"),
                "ends_at": fields.get("ends_at"),
                "deactivated_at": None,
                "meeting_request_count": 0,
                "meetings_booked_count": 0,
                "created_at": now,
                "updated_at": now,
            }
            self.add_campaigns([row])
            return self.get_campaign(workspace_id, campaign_id)

    def update_campaign(
        self, workspace_id: str, campaign_id: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        fields = _clean_fields(body)
        with self._lock:
            current = self._campaign_row(workspace_id, campaign_id)
            if "team_id" in fields:
                self._check_team(workspace_id, fields["team_id"], current=current["team_id"])
            _check_dates(
                fields.get("starts_at", current["starts_at"]),
                fields.get("ends_at", current["ends_at"]),
            )
            changed = {k: v for k, v in fields.items() if current[k] != v}
            if changed:
                changed["updated_at"] = self.now()
                assignments = ", ".join(f"{column} = :{column}" for column in changed)
                self._write(
                    [
                        (
                            f"UPDATE campaigns SET {assignments} WHERE id = :id",
                            {**changed, "id": campaign_id},
                        )
                    ]
                )
            return self.get_campaign(workspace_id, campaign_id)

    def deactivate_campaign(self, workspace_id: str, campaign_id: str) -> dict[str, Any]:
        with self._lock:
            current = self._campaign_row(workspace_id, campaign_id)
            if current["deactivated_at"] is not None:
                raise invalid_request("Campaign is already deactivated")
            now = self.now()
            self._write(
                [
                    (
                        "UPDATE campaigns SET deactivated_at = ?, updated_at = ? WHERE id = ?",
                        (now, now, campaign_id),
                    )
                ]
            )
            return self.get_campaign(workspace_id, campaign_id)

    def _slugs_like(self, workspace_id: str, base: str) -> set[str]:
        rows = self._db.execute(
            "SELECT slug FROM campaigns WHERE workspace_id = ? AND (slug = ? OR slug LIKE ?)",
            (workspace_id, base, base + "-%"),
        ).fetchall()
        return {r["slug"] for r in rows}

    def _check_team(self, workspace_id: str, team_id: str, *, current: str | None) -> None:
        if team_id == current:
            return  # repeating the current team is no change, even if it was since deactivated
        row = self._db.execute(
            "SELECT deactivated_at FROM teams WHERE workspace_id = ? AND id = ?",
            (workspace_id, team_id),
        ).fetchone()
        if row is None or row["deactivated_at"] is not None:
            raise validation_error("team_id does not match an active team in this workspace")

    # -- teams ---------------------------------------------------------------------------------

    @staticmethod
    def _team_out(row: sqlite3.Row) -> dict[str, Any]:
        return {
            "id": row["id"],
            "name": row["name"],
            "slug": row["slug"],
            "description": row["description"],
            "mode": row["mode"],
            "email_address": row["email_address"],
            "member_count": row["member_count"],
            "active": row["deactivated_at"] is None,
            "deactivated_at": row["deactivated_at"],
            "stack_always_apply": bool(row["stack_always_apply"]),
            "include_all_members": bool(row["include_all_members"]),
            "introduce_member": bool(row["introduce_member"]),
            "introduction_guidance": row["introduction_guidance"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }

    def list_teams(
        self, workspace_id: str, *, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        where = "workspace_id = :ws"
        params: dict[str, Any] = {"ws": workspace_id, "limit": limit + 1}
        if cursor is not None:
            params["c_at"], params["c_seq"] = decode_cursor(cursor)
            where += " AND (created_at < :c_at OR (created_at = :c_at AND seq < :c_seq))"
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM teams WHERE {where} ORDER BY created_at DESC, seq DESC "
                "LIMIT :limit",
                params,
            ).fetchall()
        page = rows[:limit]
        next_cursor = None
        if len(rows) > limit:
            next_cursor = encode_cursor(page[-1]["created_at"], page[-1]["seq"])
        return [self._team_out(r) for r in page], next_cursor

    def get_team(self, workspace_id: str, team_id: str) -> dict[str, Any]:
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM teams WHERE workspace_id = ? AND id = ?", (workspace_id, team_id)
            ).fetchone()
        if row is None:
            raise not_found("Team")
        return self._team_out(row)

    # -- idempotent create ---------------------------------------------------------------------

    def run_idempotent(
        self,
        api_key: str,
        idem_key: str,
        body_hash: str,
        action: Callable[[], tuple[int, dict[str, Any]]],
    ) -> tuple[int, dict[str, Any]]:
        """Run `action` once per (key, Idempotency-Key) within 24 hours; repeats get its answer."""
        with self._lock:
            cutoff = rules.format_timestamp(self.clock() - IDEMPOTENCY_TTL)
            self._write([("DELETE FROM idempotency WHERE created_at <= ?", (cutoff,))])
            row = self._db.execute(
                "SELECT body_hash, status, response FROM idempotency "
                "WHERE api_key = ? AND idem_key = ?",
                (api_key, idem_key),
            ).fetchone()
            if row is not None:
                if row["body_hash"] != body_hash:
                    raise invalid_request(
                        "Idempotency-Key was already used with a different request body"
                    )
                return row["status"], json.loads(row["response"])
            status, response = action()
            self._write(
                [
                    (
                        "INSERT INTO idempotency VALUES (?, ?, ?, ?, ?, ?)",
                        (api_key, idem_key, body_hash, status, json.dumps(response), self.now()),
                    )
                ]
            )
            return status, response


def _create_private(path: str) -> None:
    """A new database file is made 0600 before SQLite opens it (its -wal and -shm files take
    the same mode); an existing file keeps the mode its owner gave it."""
    if path == ":memory:" or path.startswith("file:") or not path:
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def _text(value: str, field: str) -> str:
    """A string the API can store and send back: UTF-8 encodable (JSON's `\\ud800` escapes
    can carry a lone surrogate, which no UTF-8 text holds)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise validation_error(
            f"{field} must be valid Unicode text (it holds a lone surrogate)"
        ) from None
    return value


def _clean_fields(body: dict[str, Any]) -> dict[str, Any]:
    """The writable fields present in `body`, type-checked and normalised, in a fixed order."""
    out: dict[str, Any] = {}
    if "name" in body:
        name = body["name"]
        if name is None:
            raise validation_error("name can't be null")
        if not isinstance(name, str):
            raise validation_error("name must be a string")
        name = _text(name, "name").strip()
        if not name:
            raise validation_error("name can't be blank")
        if len(name) > rules.NAME_MAX:
            raise validation_error(f"name is too long (maximum is {rules.NAME_MAX} characters)")
        out["name"] = name
    if "description" in body:
        description = body["description"]
        if description is not None and not isinstance(description, str):
            raise validation_error("description must be a string or null")
        if description is not None:
            _text(description, "description")
        if description is not None and len(description) > rules.DESCRIPTION_MAX:
            raise validation_error(
                f"description is too long (maximum is {rules.DESCRIPTION_MAX} characters)"
            )
        out["description"] = description
    if "team_id" in body:
        team_id = body["team_id"]
        if team_id is None:
            raise validation_error("team_id can't be null")
        if not isinstance(team_id, str):
            raise validation_error("team_id must be a string")
        out["team_id"] = _text(team_id, "team_id")
    for field in ("starts_at", "ends_at"):
        if field in body:
            value = body[field]
            if value is None:
                out[field] = None
                continue
            try:
                moment = rules.parse_timestamp(value) if isinstance(value, str) else None
            except rules.TimestampOutOfRange:
                raise validation_error(
                    f"{field} is out of range: in UTC it must fall within years 1 to 9999"
                ) from None
            if moment is None:
                raise validation_error(
                    f"{field} must be an ISO 8601 date-time with a time zone, "
                    "e.g. 2026-06-01T00:00:00Z"
                )
            out[field] = rules.format_timestamp(moment)
    return out


def _check_dates(starts_at: str | None, ends_at: str | None) -> None:
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise validation_error("ends_at must be after starts_at")
