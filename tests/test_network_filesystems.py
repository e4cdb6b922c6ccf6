"""SQLite files on a network filesystem (a home on NFS, SMB or sshfs): the history, the demo's and
the sandbox's databases use a rollback journal there (no -wal, no -shm), with a busy timeout that
lets two instances write at once; on a local disk, WAL as before. The filesystem type is faked
with a mountinfo file that says where NFS is mounted."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from skipup_campaigns import sqlite_files
from skipup_campaigns.cli import main
from skipup_campaigns.env_names import HISTORY_ENV
from skipup_campaigns.history.store import history_dir, open_history
from skipup_campaigns.sandbox import open_store
from skipup_campaigns.sqlite_files import filesystem_type, on_network_filesystem

T0 = datetime(2026, 6, 1, tzinfo=timezone.utc)


def mountinfo(tmp_path: Path, mounts: dict[str, str], name: str = "mountinfo") -> Path:
    """A /proc/self/mountinfo with `/` on ext4 and each of `mounts` (mount point: type)."""
    lines = ["22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw"]
    for number, (point, kind) in enumerate(mounts.items(), start=40):
        escaped = point.replace("\\", "\\134").replace(" ", "\\040")
        lines.append(
            f"{number} 22 0:{number} / {escaped} rw,relatime shared:{number} - {kind} "
            f"server:/export rw,vers=4.2"
        )
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def nfs_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`tmp_path/home` is an NFS mount, as far as this process can tell."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setattr(sqlite_files, "MOUNTINFO", mountinfo(tmp_path, {str(home): "nfs4"}))
    return home


def companions(path: Path) -> list[str]:
    return sorted(p.name.removeprefix(path.name) for p in path.parent.glob(path.name + "-*"))


def test_the_mount_holding_a_path_is_the_longest_prefix(tmp_path: Path) -> None:
    info = mountinfo(
        tmp_path,
        {
            "/home": "nfs4",
            "/home/me/local disk": "ext4",
            "/mnt/box": "fuse.sshfs",
            "/mnt/share": "cifs",
            "/media/usb": "fuse",
        },
    )
    assert filesystem_type(Path("/home/me/x.db"), info) == "nfs4"
    assert filesystem_type(Path("/home/me/local disk/x.db"), info) == "ext4"
    assert filesystem_type(Path("/homestead/x.db"), info) == "ext4"  # not under /home
    assert filesystem_type(Path("/home/me/not/yet/made.db"), info) == "nfs4"
    for network in ("/home/x", "/mnt/box/x", "/mnt/share/x"):
        assert on_network_filesystem(Path(network), info)
    for local in ("/tmp/x", "/media/usb/x", "/home/me/local disk/x"):
        assert not on_network_filesystem(Path(local), info)


def test_the_last_of_stacked_mounts_counts_and_no_mountinfo_means_local(tmp_path: Path) -> None:
    info = mountinfo(tmp_path, {"/data": "ext4"})
    info.write_text(info.read_text() + "90 22 0:90 / /data rw - nfs server:/d rw\n")
    assert filesystem_type(Path("/data/x"), info) == "nfs"
    assert filesystem_type(Path("/data/x"), tmp_path / "missing") is None
    assert not on_network_filesystem(Path("/data/x"), tmp_path / "missing")


def test_history_on_nfs_uses_a_rollback_journal(nfs_home: Path) -> None:
    path = nfs_home / "history" / "h.sqlite3"
    store = open_history(path)
    store.record([("a", 1, 0)], at=T0)
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert companions(path) == []  # no -wal, no -shm, and the journal is gone after commit
    store.close()


def test_history_on_a_local_disk_keeps_wal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_files, "MOUNTINFO", mountinfo(tmp_path, {}))
    path = tmp_path / "h.sqlite3"
    store = open_history(path)
    store.record([("a", 1, 0)], at=T0)
    assert "-wal" in companions(path)
    store.close()


def test_a_wal_history_found_on_nfs_is_switched_back(
    nfs_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = nfs_home / "h.sqlite3"
    with monkeypatch.context() as local:
        local.setattr(sqlite_files, "MOUNTINFO", mountinfo(tmp_path, {}, "local-only"))
        store = open_history(path)
        store.record([("a", 1, 0)], at=T0)
        store.close()
    store = open_history(path)
    assert store.latest()["a"].requests == 1
    store.close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert companions(path) == []


def test_sandbox_and_demo_databases_on_nfs_use_a_rollback_journal(nfs_home: Path) -> None:
    from skipup_campaigns.startup.connection import demo_client

    store = open_store(str(nfs_home / "sandbox.db"))
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert store._db.execute("PRAGMA busy_timeout").fetchone()[0] >= 10_000
    store.close()
    assert companions(nfs_home / "sandbox.db") == []
    client = demo_client(path=nfs_home / "data" / "demo.db")
    transport = client._http._transport  # the demo's in-process sandbox
    assert transport.store._db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    transport.store.close()
    assert companions(nfs_home / "data" / "demo.db") == []


_WRITER = """
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from skipup_campaigns import sqlite_files
sqlite_files.MOUNTINFO = Path(sys.argv[4])  # the same fake: this home is on NFS
from skipup_campaigns.history.store import open_history
path, name, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
store = open_history(path)
assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
start = datetime(2026, 6, 1, tzinfo=timezone.utc)
for n in range(rounds):
    rows = [(f"{name}-{i}", n, 0) for i in range(100)] + [(f"shared-{i}", n, 0) for i in range(20)]
    store.record(rows, at=start + timedelta(seconds=n, milliseconds=1 if name == "b" else 0))
    store.latest()  # a read between writes: readers and writers take turns in this mode
store.close()
"""


def test_two_instances_writing_the_nfs_history_at_once_lose_nothing(nfs_home: Path) -> None:
    path = nfs_home / "h.sqlite3"
    open_history(path).close()
    rounds = 40
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _WRITER,
                str(path),
                name,
                str(rounds),
                str(sqlite_files.MOUNTINFO),
            ],
            stderr=subprocess.PIPE,
        )
        for name in ("a", "b")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err.decode()
    store = open_history(path)
    for name in ("a", "b"):
        assert [s.requests for s in store.samples(f"{name}-7")] == list(range(rounds))
    assert all(store.latest()[f"shared-{i}"].requests == rounds - 1 for i in range(20))
    store.close()
    assert companions(path) == []


def test_a_write_waits_for_the_other_instances_write(nfs_home: Path) -> None:
    path = nfs_home / "h.sqlite3"
    open_history(path).close()
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another machine is writing, for a second
    other.execute("INSERT INTO meta VALUES ('other', 'was here')")
    finish = threading.Timer(1.0, lambda: other.execute("COMMIT"))
    finish.start()
    store = open_history(path)  # waits on the busy timeout instead of failing at once
    store.record([("a", 1, 0)], at=T0 + timedelta(seconds=1))
    finish.join()
    assert store.latest()["a"].requests == 1
    store.close()
    other.close()


def test_history_path_and_its_variable_put_the_history_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    local = tmp_path / "local disk"
    monkeypatch.setenv(HISTORY_ENV, str(local))
    assert history_dir() == local
    monkeypatch.delenv(HISTORY_ENV)
    assert history_dir().name == "history" and history_dir().parent.name == "skipup-campaigns"
    monkeypatch.setenv(HISTORY_ENV, "")  # restored after the test; main() sets it
    monkeypatch.setenv("SKIPUP_API_KEY", "sk_test_admin")
    assert main(["--history-path", str(local / "h"), "history", "path"]) == 0
    shown = Path(capsys.readouterr().out.strip())
    assert shown.parent == local / "h"
