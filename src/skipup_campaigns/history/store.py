"""The history file: each campaign's two counts over time, in SQLite.

One file per base URL and key, in the user's data directory, named by a hash of both (the key
itself is never written), created 0600 (SQLite gives its -wal and -shm files the same mode), in
WAL mode so readers never wait for a writer (on a network filesystem, a rollback journal:
sqlite_files.py). The schema's version is `PRAGMA user_version`, and
`PRAGMA application_id` marks the file as ours.

History is never thrown away for a passing reason. A file is set aside (renamed to a name no
one else can have taken, said in `HistoryStore.warning`) and a new one started only when SQLite
itself says it is damaged or not a database (SQLITE_CORRUPT, SQLITE_NOTADB). Anything else (a
disk I/O error, a full disk or file size limit, a lock held too long, a companion file
(-wal, -shm, -journal) that is not a plain file of ours, someone else's database or a newer
version's) leaves the file where it is: `open_history` raises `HistoryUnavailable`, one line
for the caller to show once, and there is no history that run.

Only changes are stored: a sample is written when a campaign's counts differ from its latest
one. Samples older than 14 days are thinned to the last one of each day; samples older than 180
days are dropped, except each campaign's newest one from before then (it still says what the
counts were at that point, so "gained since" stays right for a campaign that has not moved).

A file found damaged later (a query or a write fails with SQLITE_CORRUPT) is set aside the same
way; the write is then made to the new file, a query answers as an empty history. A sample
stamped older than a campaign's newest one (a slower instance's reading) is not stored: the
history only moves forward.

The UI's sessions leave a mark (`session_mark`): the moment of their last look at the counts.
The Δ column's default baseline ("since the last session") is read at that mark, so a `report`
run or any other command, which records without moving it, never resets what the UI counts
from.

Two app instances may write at once: each write is one `BEGIN IMMEDIATE` transaction and waits
(up to `BUSY_TIMEOUT`) for the other's, so nothing is lost. Writes are synchronous: the UI calls
`record` from a worker thread, never from the event loop.
"""

from __future__ import annotations

import itertools
import os
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from skipup_campaigns.paths import data_dir
from skipup_campaigns.private_files import PrivateFileError, ensure_private_dir
from skipup_campaigns.sqlite_files import use_journal_for

if TYPE_CHECKING:  # sqlite3 is imported where a file is opened: after the first frame
    import sqlite3

SCHEMA_VERSION = 1
APPLICATION_ID = 0x534B4850
"""`PRAGMA application_id` of our files ("SKHP"): anything else is someone else's file."""
BUSY_TIMEOUT = 15.0
"""Seconds a write waits for another instance's write (here or on another machine)."""
RECENT = timedelta(days=14)
"""Samples younger than this are all kept; older ones are thinned to one a day."""
KEPT = timedelta(days=180)
MAINTAIN_EVERY = timedelta(hours=6)
"""Thinning and pruning run at most this often (on a write)."""
_DAY_MS = 86_400_000
_DAMAGED = {11: "SQLITE_CORRUPT", 26: "SQLITE_NOTADB"}
"""The only SQLite result codes (primary, low byte) that have a file set aside."""
COMPANIONS = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database under the same name."""
_SESSION_MARK = "ui_session_seen_at"

_SCHEMA = """
CREATE TABLE samples (
    campaign_id TEXT NOT NULL,
    at INTEGER NOT NULL,                 -- milliseconds since the epoch (UTC)
    requests INTEGER NOT NULL,
    booked INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, at)
) WITHOUT ROWID;
CREATE TABLE latest (                    -- each campaign's newest sample, to compare against
    campaign_id TEXT PRIMARY KEY,
    at INTEGER NOT NULL,
    requests INTEGER NOT NULL,
    booked INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""


class Counts(NamedTuple):
    """A campaign's counts as sampled at `at_ms` (milliseconds since the epoch)."""

    requests: int
    booked: int
    at_ms: int

    @property
    def at(self) -> datetime:
        return _moment(self.at_ms)


class DayCounts(NamedTuple):
    """A campaign's counts at the end of one UTC day (or what was gained that day)."""

    day: date
    requests: int
    booked: int


def history_name(base_url: str, api_key: str) -> str:
    """The file name for one workspace as seen through one base URL: a keyed hash under the
    user's private salt (as the list cache's), so the name lets nobody test a guess of the key.

    The one place that names history files, so the naming can change in one spot."""
    from skipup_campaigns.private_files import keyed_name

    return f"history-{keyed_name('history', base_url, api_key)}.sqlite3"


def history_dir() -> Path:
    """`SKIPUP_HISTORY` (`--history-path`) when set, else `history/` in the data directory."""
    from skipup_campaigns.env_names import HISTORY_ENV

    chosen = os.environ.get(HISTORY_ENV, "").strip()
    return Path(chosen).expanduser().absolute() if chosen else data_dir() / "history"


def history_path(base_url: str, api_key: str, directory: Path | None = None) -> Path:
    return (directory or history_dir()) / history_name(base_url, api_key)


def workspace_history_path(base_url: str | None, api_key: str) -> Path:
    """The history file for settings' base URL (None: the real API's) and key; the UI and the
    commands both name it here, so they share one file per workspace."""
    from skipup_campaigns.env_names import DEFAULT_BASE_URL

    return history_path((base_url or DEFAULT_BASE_URL).rstrip("/"), api_key)


def demo_history_path(directory: Path | None = None) -> Path:
    """The demo's own history, apart from any real workspace's."""
    return (directory or history_dir()) / "demo.sqlite3"


def delete_history(path: Path) -> bool:
    """Remove a history file and its companions; True if there was one."""
    existed = path.exists()
    for suffix in ("", *COMPANIONS, OPEN_LOCK):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    return existed


def gains(
    current: Iterable[tuple[str, int, int]], baseline: Mapping[str, Counts]
) -> dict[str, tuple[int, int] | None]:
    """(requests, booked) gained by each campaign since its baseline sample; None where the
    history has no sample old enough (shown empty, not zero)."""
    out: dict[str, tuple[int, int] | None] = {}
    for campaign_id, requests, booked in current:
        then = baseline.get(campaign_id)
        out[campaign_id] = (
            None if then is None else (requests - then.requests, booked - then.booked)
        )
    return out


def counts_of(campaigns: Iterable[Any]) -> Iterator[tuple[str, int, int]]:
    """(id, requests, booked) of API campaigns (or anything with those attributes)."""
    for campaign in campaigns:
        yield campaign.id, campaign.meeting_request_count, campaign.meetings_booked_count


def _ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("a naive datetime is ambiguous: give a time zone")
    return int(moment.timestamp() * 1000)


def _moment(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, timezone.utc)


class HistoryUnavailable(Exception):
    """The file cannot be used now and was left as it is; the message is one line for the
    user, naming the file and why."""


class FileDamaged(Exception):
    """SQLite says the file is damaged or not a database: the one reason to set it aside."""

    def __init__(self, message: str, identity: tuple[int, int] | None = None) -> None:
        super().__init__(message)
        self.identity = identity
        """(st_dev, st_ino) of the file found damaged, so only that file is moved."""


def is_damage(exc: BaseException) -> bool:
    """Whether SQLite said, by its result code, that the file is corrupt or not a database."""
    import sqlite3

    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(exc, sqlite3.DatabaseError) and code is not None and (code & 0xFF) in _DAMAGED


def _left_in_place(path: Path, why: object) -> HistoryUnavailable:
    return HistoryUnavailable(
        f"the history file {path} cannot be used now ({why}); it was left as it is"
    )


class HistoryStore:
    """One history file. Thread-safe (one connection behind a lock); open it with
    `open_history`, which sets an unusable file aside instead of failing."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] | None = None) -> None:
        self.path = path
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.warning: str | None = None
        """One line for the user when the file had to be set aside, else None."""
        self._lock = threading.Lock()
        self._known: dict[str, tuple[int, int, int]] | None = None
        """The `latest` table (requests, booked, at) as last read or written by us, valid
        while `_known_version` matches the connection's data_version (which moves when another
        instance writes)."""
        self._known_version = -1
        self._identity: tuple[int, int] | None = None
        self._db = self._connect()

    # -- opening -------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        import sqlite3  # here, not at import: the history opens after the first frame

        ensure_private_dir(self.path.parent)
        self._check_companions()
        # Never through a symlink, and never a FIFO or another user's file: the file must be
        # the one named here, and ours, before its mode is touched (the directory is private,
        # so what SQLite opens by the same name next is this file).
        descriptor = os.open(
            self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o600
        )
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                raise PrivateFileError(f"{self.path} is not a regular file")
            if info.st_uid != os.geteuid():
                raise PrivateFileError(f"{self.path} belongs to another user")
            os.fchmod(descriptor, 0o600)
        finally:
            os.close(descriptor)
        self._identity = (info.st_dev, info.st_ino)
        try:
            db = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise _left_in_place(self.path, exc) from None
        try:
            self._prepare(db, self.path)
        except FileDamaged as exc:
            db.close()
            exc.identity = self._identity
            raise
        except BaseException:
            db.close()
            raise
        return db

    def _check_companions(self) -> None:
        """A -wal, -shm or -journal that is a symlink, a FIFO or another user's would have
        SQLite fail or write elsewhere: the history is left alone instead (not set aside)."""
        for suffix in COMPANIONS:
            companion = self.path.with_name(self.path.name + suffix)
            try:
                info = os.lstat(companion)
            except FileNotFoundError:
                continue
            if stat.S_ISLNK(info.st_mode):
                raise _left_in_place(self.path, f"its {suffix} file is a symlink")
            if not stat.S_ISREG(info.st_mode):
                raise _left_in_place(self.path, f"its {suffix} file is not a regular file")
            if info.st_uid != os.geteuid():
                raise _left_in_place(self.path, f"its {suffix} file belongs to another user")

    @staticmethod
    def _prepare(db: sqlite3.Connection, path: Path) -> None:
        import sqlite3

        try:
            use_journal_for(db, path, BUSY_TIMEOUT)  # a rollback journal on NFS, else WAL
            db.execute("BEGIN IMMEDIATE")
            try:
                application_id = db.execute("PRAGMA application_id").fetchone()[0]
                version = db.execute("PRAGMA user_version").fetchone()[0]
                tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if application_id == 0 and version == 0 and tables == 0:
                    for statement in _SCHEMA.split(";"):  # executescript would commit
                        if statement.strip():
                            db.execute(statement)
                    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                elif application_id != APPLICATION_ID:
                    raise _left_in_place(
                        path, "it is not a campaigns history file; move it away to start a new one"
                    )
                elif version > SCHEMA_VERSION:
                    raise _left_in_place(
                        path, f"a newer version of skipup-campaigns made it (schema {version})"
                    )
                elif version < SCHEMA_VERSION:
                    raise _left_in_place(path, f"unknown schema {version}")
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            if is_damage(exc):
                raise FileDamaged(str(exc)) from None
            raise _left_in_place(path, exc) from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # -- writing -------------------------------------------------------------------------------

    def record(
        self,
        counts: Iterable[tuple[str, int, int]],
        at: datetime | None = None,
        *,
        session: bool = False,
    ) -> int:
        """Store each campaign's (id, requests, booked) as of `at` (default: the clock) where
        it differs from that campaign's latest sample and is not older than it; returns how
        many were stored. `session`: the UI's session looked at these counts, so its mark
        moves to `at` (commands record without it).

        Synchronous, one transaction: call it from a worker thread, not the UI's event loop.
        """
        stamp = _ms(at or self.clock())
        counts = counts if isinstance(counts, list) else list(counts)  # a retry reads it again
        with self._lock:
            stored: int = self._guarded(
                lambda: self._record(counts, stamp, session),
                lambda: self._record(counts, stamp, session),
            )
        return stored

    def _record(self, counts: list[tuple[str, int, int]], stamp: int, session: bool) -> int:
        with self._forget_on_failure(), self._write() as db:
            known = self._latest(db)
            changed = []
            for campaign_id, requests, booked in counts:
                then = known.get(campaign_id)
                # An older reading (a slower instance's) is never stored before a newer one.
                if then is None or (then[2] <= stamp and then[:2] != (requests, booked)):
                    changed.append((campaign_id, stamp, requests, booked))
            if changed:
                db.executemany("INSERT OR REPLACE INTO samples VALUES (?, ?, ?, ?)", changed)
                db.executemany(
                    "INSERT INTO latest VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id) DO UPDATE "
                    "SET at = excluded.at, requests = excluded.requests, booked = excluded.booked "
                    "WHERE excluded.at >= latest.at",
                    changed,
                )
                for campaign_id, _, requests, booked in changed:
                    known[campaign_id] = (requests, booked, stamp)
                self._maybe_maintain(db, stamp)
            if session:
                db.execute(
                    "INSERT INTO meta VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET "
                    "value = excluded.value WHERE CAST(excluded.value AS INTEGER) > "
                    "CAST(meta.value AS INTEGER)",
                    (_SESSION_MARK, str(stamp)),
                )
        return len(changed)

    def session_mark(self) -> datetime | None:
        """When a UI session last recorded (looked at) the counts; None if none ever did."""
        with self._lock:
            row = self._guarded(
                lambda: self._db.execute(
                    "SELECT value FROM meta WHERE name = ?", (_SESSION_MARK,)
                ).fetchone(),
                lambda: None,
            )
        return None if row is None else _moment(int(row[0]))

    def _guarded(self, action: Callable[[], Any], fallback: Callable[[], Any]) -> Any:
        """Run `action`; if SQLite says the file is damaged, set it aside, start a new one
        (saying so in `warning`) and return `fallback()` instead. Any other error (busy, I/O,
        full) goes to the caller and leaves the file as it is."""
        import sqlite3

        try:
            return action()
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            self._db.close()
            self._known = None
            aside = set_aside(self.path, self.clock(), self._identity)
            self._db = self._connect()
            self.warning = _set_aside_warning(self.path, f"is damaged ({exc})", aside)
            return fallback()

    @contextmanager
    def _forget_on_failure(self) -> Iterator[None]:
        """A write that did not commit leaves the in-memory copy of `latest` unknown."""
        try:
            yield
        except BaseException:
            self._known = None
            raise

    def record_campaigns(self, campaigns: Iterable[Any], at: datetime | None = None) -> int:
        """`record` for API campaigns (anything with id and the two count attributes)."""
        return self.record(counts_of(campaigns), at)

    def _latest(self, db: sqlite3.Connection) -> dict[str, tuple[int, int, int]]:
        """Each campaign's latest (requests, booked, at): from memory unless another
        connection wrote since."""
        version = db.execute("PRAGMA data_version").fetchone()[0]
        if self._known is None or version != self._known_version:
            self._known = {
                campaign_id: (requests, booked, at)
                for campaign_id, requests, booked, at in db.execute(
                    "SELECT campaign_id, requests, booked, at FROM latest"
                )
            }
            self._known_version = version
        return self._known

    def _maybe_maintain(self, db: sqlite3.Connection, stamp: int) -> None:
        row = db.execute("SELECT value FROM meta WHERE name = 'maintained_at'").fetchone()
        if row is not None and stamp - int(row[0]) < MAINTAIN_EVERY.total_seconds() * 1000:
            return
        self._thin_and_prune(db, stamp)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('maintained_at', ?)", (str(stamp),))

    def maintain(self, now: datetime | None = None) -> None:
        """Thin and prune now (a write also does it, at most every `MAINTAIN_EVERY`)."""
        stamp = _ms(now or self.clock())

        def run() -> None:
            with self._write() as db:
                self._thin_and_prune(db, stamp)
                db.execute("INSERT OR REPLACE INTO meta VALUES ('maintained_at', ?)", (str(stamp),))

        with self._lock:
            self._guarded(run, lambda: None)

    @staticmethod
    def _thin_and_prune(db: sqlite3.Connection, stamp: int) -> None:
        recent_cut = (stamp - int(RECENT.total_seconds() * 1000)) // _DAY_MS * _DAY_MS
        kept_cut = stamp - int(KEPT.total_seconds() * 1000)
        # Older than 14 days: keep the last sample of each campaign's day.
        db.execute(
            """DELETE FROM samples WHERE at < :cut AND EXISTS (
                          SELECT 1 FROM samples AS later
                          WHERE later.campaign_id = samples.campaign_id
                            AND later.at > samples.at
                            AND later.at / 86400000 = samples.at / 86400000)""",
            {"cut": recent_cut},
        )
        # Older than 180 days: dropped, but for the newest of them (the counts at the cut).
        db.execute(
            """DELETE FROM samples WHERE at < :cut AND EXISTS (
                          SELECT 1 FROM samples AS later
                          WHERE later.campaign_id = samples.campaign_id
                            AND later.at > samples.at AND later.at <= :cut)""",
            {"cut": kept_cut},
        )

    # -- reading -------------------------------------------------------------------------------

    def counts_at(self, moment: datetime, *, before: bool = False) -> dict[str, Counts]:
        """Each campaign's last sample at or before `moment` (strictly before with `before`);
        campaigns with no sample that old are absent."""
        operator = "<" if before else "<="
        # Most campaigns have not changed since `moment`: their latest sample is the answer,
        # read in one scan; only the others look up their last sample that old.
        sql = f"""SELECT campaign_id, requests, booked, at FROM latest WHERE at {operator} :t
                  UNION ALL
                  SELECT s.campaign_id, s.requests, s.booked, s.at FROM latest AS l
                  JOIN samples AS s ON s.campaign_id = l.campaign_id AND s.at = (
                      SELECT max(at) FROM samples
                      WHERE campaign_id = l.campaign_id AND at {operator} :t)
                  WHERE NOT (l.at {operator} :t)"""
        with self._lock:
            rows = self._guarded(lambda: self._db.execute(sql, {"t": _ms(moment)}).fetchall(), list)
        return {
            campaign_id: Counts(requests, booked, at) for campaign_id, requests, booked, at in rows
        }

    def before_session(self, session_start: datetime) -> dict[str, Counts]:
        """The last sample of each campaign recorded before this session started (whoever
        recorded it: `report --since session` counts from its last run)."""
        return self.counts_at(session_start, before=True)

    def at_session_mark(self, mark: datetime | None, session_start: datetime) -> dict[str, Counts]:
        """The UI's Δ baseline, "since the last session": the counts at the last UI session's
        `mark` (read before this session records); without one, the last samples before this
        session started."""
        if mark is None or mark >= session_start:
            return self.before_session(session_start)
        return self.counts_at(mark)

    def oldest(self) -> datetime | None:
        """When the oldest sample kept was taken (None: no sample yet)."""
        with self._lock:
            row = self._guarded(
                lambda: self._db.execute("SELECT min(at) FROM samples").fetchone(), lambda: None
            )
        return None if row is None or row[0] is None else _moment(row[0])

    def latest(self) -> dict[str, Counts]:
        with self._lock:
            rows = self._guarded(
                lambda: self._db.execute(
                    "SELECT campaign_id, requests, booked, at FROM latest"
                ).fetchall(),
                list,
            )
        return {
            campaign_id: Counts(requests, booked, at) for campaign_id, requests, booked, at in rows
        }

    def samples(self, campaign_id: str) -> list[Counts]:
        """Every stored sample of one campaign, oldest first."""
        with self._lock:
            rows = self._guarded(
                lambda: self._db.execute(
                    "SELECT requests, booked, at FROM samples WHERE campaign_id = ? ORDER BY at",
                    (campaign_id,),
                ).fetchall(),
                list,
            )
        return [Counts(*row) for row in rows]

    def daily(self, campaign_id: str, *, until: datetime | None = None) -> list[DayCounts]:
        """The campaign's counts at the end of each UTC day, from its first recorded day to
        `until`'s (default: today), carried forward over days without a sample."""
        samples = self.samples(campaign_id)
        if not samples:
            return []
        last_day = (until or self.clock()).astimezone(timezone.utc).date()
        by_day: dict[date, Counts] = {}
        for sample in samples:
            by_day[sample.at.date()] = sample  # oldest first: the day's last one wins
        day, out = samples[0].at.date(), []
        current = by_day[day]
        while day <= last_day:
            current = by_day.get(day, current)
            out.append(DayCounts(day, current.requests, current.booked))
            day += timedelta(days=1)
        return out

    def daily_gains(self, campaign_id: str, *, until: datetime | None = None) -> list[DayCounts]:
        """What the campaign gained each day (for sparklines): one entry per day after its
        first recorded day."""
        days = self.daily(campaign_id, until=until)
        return [
            DayCounts(today.day, today.requests - before.requests, today.booked - before.booked)
            for before, today in zip(days, days[1:])
        ]


def open_history(path: Path, *, clock: Callable[[], datetime] | None = None) -> HistoryStore:
    """The history store at `path`. A file SQLite says is damaged is set aside and a new one
    started, with `warning` saying so in one line; any other trouble raises
    `HistoryUnavailable` (or `PrivateFileError`) and leaves the file as it is."""
    with _taking_turns(path):  # see set_aside: no instance opens it while another moves it
        try:
            return HistoryStore(path, clock=clock)
        except FileDamaged as exc:
            now = clock() if clock else datetime.now(timezone.utc)
            aside = _move_aside(path, now, exc.identity)
            store = HistoryStore(path, clock=clock)
            store.warning = _set_aside_warning(path, f"could not be used ({exc})", aside)
            return store


def _set_aside_warning(path: Path, what: str, aside: Path | None) -> str:
    if aside is None:
        return (
            f"The history file {path} {what}; another instance had already set it aside, "
            "and a new one was started."
        )
    return f"The history file {path} {what}; it was set aside as {aside} and a new one started."


def set_aside(path: Path, now: datetime, identity: tuple[int, int] | None = None) -> Path | None:
    """Rename a damaged history file (with its -wal and -journal) to a new name of its own,
    keeping it for inspection; the name is reserved with O_EXCL first, so two instances (even
    in the same second) never overwrite each other's. With `identity` (st_dev, st_ino), only
    that file is moved: None when another instance already moved it.

    Instances opening or setting aside the same file take turns (`_taking_turns`). Without
    it, seen with four threads under load: between one's look at the file and its rename
    another moved it and a third started a new file at its name, which the rename then
    moved; and an instance opening the damaged file while it moved found the new file's WAL
    by name and checkpointed it into the damaged file, overwriting it. The companions go
    first: once the file has moved, a new file's own may appear beside its name."""
    with _taking_turns(path):
        return _move_aside(path, now, identity)


def _move_aside(path: Path, now: datetime, identity: tuple[int, int] | None) -> Path | None:
    """`set_aside`'s move, with its turn taken."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if identity is not None and (info.st_dev, info.st_ino) != identity:
        return None
    aside = _reserve_aside_name(path, now)
    for suffix in ("-wal", "-journal"):
        companion = path.with_name(path.name + suffix)
        if os.path.lexists(companion):
            os.replace(companion, aside.with_name(aside.name + suffix))
    path.with_name(path.name + "-shm").unlink(missing_ok=True)  # derived: rebuilt from WAL
    os.replace(path, aside)  # over our own empty reservation, never someone else's file
    return aside


OPEN_LOCK = ".lock"
"""Beside a history file, made when it is first opened: the lock of `_taking_turns`."""


@contextmanager
def _taking_turns(path: Path) -> Iterator[None]:
    """Hold the opening lock of `path` (an flock, so across processes and, each with its own
    descriptor, threads). Where there is no such lock (no fcntl, a filesystem without locks)
    it goes on without: the identity check still stops most of what it guards against."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system
        yield
        return
    try:
        descriptor = os.open(
            path.with_name(path.name + OPEN_LOCK),
            os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
            0o600,
        )
    except OSError:
        yield
        return
    try:
        # Polled, for at most TURN_WAIT; after that (or where locking fails) it goes on
        # without its turn, as where there is no lock at all.
        give_up, pause = time.monotonic() + TURN_WAIT, 0.005
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() < give_up:
                    time.sleep(pause)
                    pause = min(pause * 2, 0.1)
                    continue
            except OSError:
                pass
            break
        yield
    finally:
        os.close(descriptor)  # which releases the lock


TURN_WAIT = BUSY_TIMEOUT
"""How long an instance waits for its turn before going on without it: one stopped in the
middle of its turn (Ctrl-Z) or hung on a slow disk must not hold every later start."""


def _reserve_aside_name(path: Path, now: datetime) -> Path:
    """A name beside `path` that nothing has, created empty (0600) so nobody else takes it."""
    base = f"{path.name}.unusable-{now.strftime('%Y%m%dT%H%M%S')}"
    for n in itertools.count(1):
        candidate = path.with_name(base if n == 1 else f"{base}-{n}")
        if any(
            os.path.lexists(candidate.with_name(candidate.name + suffix)) for suffix in COMPANIONS
        ):
            continue
        try:
            descriptor = os.open(
                candidate,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                0o600,
            )
        except FileExistsError:
            continue
        os.close(descriptor)
        return candidate
    raise AssertionError("unreachable")  # itertools.count never ends
