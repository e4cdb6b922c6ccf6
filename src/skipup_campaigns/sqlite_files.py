"""The journal a SQLite file may use where it lives: WAL on a local disk, a rollback journal on
a network filesystem.

WAL keeps readers and the writer apart through a shared-memory file (`-shm`) mapped by every
process that opens the database; processes on two machines that share a home over NFS, SMB or
sshfs do not share that memory, and SQLite's documentation says WAL does not work over a
network filesystem. There a rollback journal (`-journal`) with file locks is used instead, and
a busy timeout long enough for the other machine's write to finish.

The filesystem is read from `/proc/self/mountinfo`: the mount that holds the path (the longest
mount point that is a prefix of its real path) and that mount's type by name. Names tell
`fuse.sshfs` from a local FUSE filesystem, which `statfs`'s magic number (one for all of FUSE)
cannot, and need no per-architecture struct layout through ctypes. Where there is no
mountinfo (not Linux, a /proc hidden from us) the file is taken as local, as before.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only a connection made elsewhere is handed in
    import sqlite3

MOUNTINFO = Path("/proc/self/mountinfo")
NETWORK_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "ocfs2",
        "gfs2",
        "davfs",
        "fuse.sshfs",
        "fuse.glusterfs",
        "fuse.rclone",
        "fuse.s3fs",
        "fuse.davfs2",
        "fuse.gcsfuse",
    }
)
"""Filesystem types (as mountinfo names them) whose files other machines may open too."""
BUSY_TIMEOUT = 15.0
"""Seconds a write waits for another process's write, here or on another machine."""


def _unescape(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash in paths as octal escapes."""
    for escaped, plain in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(escaped, plain)
    return field


def filesystem_type(path: Path, mountinfo: Path | None = None) -> str | None:
    """The type of the filesystem holding `path` (or its nearest existing parent), e.g.
    "ext4", "nfs4", "fuse.sshfs"; None when it cannot be told."""
    try:
        text = (mountinfo or MOUNTINFO).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    target = Path(os.path.realpath(path))
    best: tuple[int, str] | None = None
    for line in text.splitlines():
        fields = line.split(" ")
        if " - " not in line or len(fields) < 5:
            continue
        mount_point = _unescape(fields[4])
        fs_type = line.split(" - ", 1)[1].split(" ", 1)[0]
        holds_target = target == Path(mount_point) or Path(mount_point) in target.parents
        # The longest mount point wins; of equal ones, the last (mounted over the others).
        if holds_target and (best is None or len(mount_point) >= best[0]):
            best = (len(mount_point), fs_type)
    return None if best is None else best[1]


def on_network_filesystem(path: Path, mountinfo: Path | None = None) -> bool:
    kind = filesystem_type(path, mountinfo)
    return kind is not None and (kind in NETWORK_TYPES or kind.split(".", 1)[0] in NETWORK_TYPES)


def use_journal_for(db: sqlite3.Connection, path: Path, busy_timeout: float = BUSY_TIMEOUT) -> str:
    """Set the busy timeout and the journal for the database `db` opened at `path`: WAL
    (synchronous NORMAL) on a local disk, a rollback journal (synchronous FULL) on a network
    filesystem. An existing WAL file found on one is switched back. Returns the mode asked for
    (SQLite keeps a database's mode when it cannot change it: a `:memory:` one, say)."""
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    network = on_network_filesystem(path)
    mode = "delete" if network else "wal"
    db.execute(f"PRAGMA journal_mode = {mode}")
    # WAL with NORMAL: a power cut may lose the last write, never the file's integrity.
    db.execute(f"PRAGMA synchronous = {'FULL' if network else 'NORMAL'}")
    return mode
