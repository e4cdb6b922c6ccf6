"""Files only the user may see, read and written so that someone with write access to one of
the directories involved cannot redirect, swap or read them.

- `ensure_private_dir`: a directory owned by the user, mode 0700 (tightened if it was looser).
- `open_private_for_read`: opens without following a symlink and without blocking on a FIFO,
  then checks the open descriptor (not the path, which could change in between): a regular file
  owned by the user, readable by nobody else, no larger than the caller's cap.
- `write_private_atomically` / `private_writer`: a temporary from `mkstemp` in the target's
  directory (an unpredictable name, created exclusively, mode 0600 from the first byte), synced,
  then renamed over the target; a symlink at the target is replaced, never followed.
- `keyed_name`: a name derived from secret parts (an API key) with HMAC and a random per-user
  salt, so a file name does not let anyone test guesses of the key.

Every failure is a `PrivateFileError` (an OSError) whose message says which file and why.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from skipup_campaigns import paths

SALT_BYTES = 32
_salts: dict[Path, bytes] = {}
"""Salts already read in this process, by file (reading it once is enough)."""


class PrivateFileError(OSError):
    """A private file or directory cannot be used safely; the message says why."""


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) with the leaf at 0700; an existing leaf must be a
    directory owned by the user, and is tightened to 0700 if others could get in."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.mkdir(path, 0o700)
    # The check and the chmod go through one descriptor, so a swap in between cannot redirect
    # the chmod. A symlink to a directory of the user's own is accepted (owner checked below).
    descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        info = os.fstat(descriptor)
        if info.st_uid != os.geteuid():
            raise PrivateFileError(f"{path} belongs to another user")
        if info.st_mode & 0o077:
            os.fchmod(descriptor, 0o700)
    finally:
        os.close(descriptor)
    return path


def open_private_for_read(path: Path, max_bytes: int) -> BinaryIO:
    """`path` opened for reading in binary, or PrivateFileError (FileNotFoundError when it
    does not exist). Refused: a symlink, anything but a regular file (a FIFO, a device), a
    file of another user, one that others can read or write, one larger than `max_bytes`."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise PrivateFileError(f"{path} is a symlink") from None
        raise PrivateFileError(f"cannot open {path}: {exc.strerror}") from None
    try:
        check_private_descriptor(descriptor, path)
        size = os.fstat(descriptor).st_size
        if size > max_bytes:
            raise PrivateFileError(f"{path} is larger than {max_bytes} bytes")
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def check_private_descriptor(descriptor: int, path: Path) -> None:
    """PrivateFileError unless the open file is a regular file of the user's, 0600 or less."""
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        raise PrivateFileError(f"{path} is not a regular file")
    if info.st_uid != os.geteuid():
        raise PrivateFileError(f"{path} belongs to another user")
    if info.st_mode & 0o077:
        raise PrivateFileError(f"other users can read or write {path}")


@contextlib.contextmanager
def private_writer(path: Path) -> Iterator[BinaryIO]:
    """Write `path` atomically: yields a binary file to fill; on a clean exit it is synced and
    renamed over `path` (readers see the old file or the new one, never half of one); on an
    exception the temporary is removed and `path` is untouched. The directory must exist."""
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(path.parent)


def write_private_atomically(path: Path, data: bytes | str) -> None:
    """`data` (text is written as UTF-8) to `path`, atomically and 0600."""
    with private_writer(path) as out:
        out.write(data.encode("utf-8") if isinstance(data, str) else data)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (best effort: some filesystems refuse)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def keyed_name(*parts: str, salt_file: Path | None = None) -> str:
    """A 32-hex-digit name for `parts` (e.g. a base URL and a key): HMAC-SHA256 under the
    user's random salt, so the same parts give the same name on this account and nobody
    without the salt can check a guess against it."""
    salt = user_salt(salt_file)
    message = "\0".join(parts).encode("utf-8", "surrogatepass")
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:32]


def user_salt(salt_file: Path | None = None) -> bytes:
    """The per-user salt, created on first use (random, 0600, in a 0700 directory). A salt
    file that is not safe (a link, another user's, readable by others, the wrong size) is
    replaced by a new one: names made with the old salt are simply not found again."""
    path = salt_file or paths.salt_file()
    if path in _salts:
        return _salts[path]
    ensure_private_dir(path.parent)
    salt = _read_salt(path)
    if salt is None:
        _create_salt(path)
        salt = _read_salt(path)
        if salt is None:
            raise PrivateFileError(f"cannot keep a private salt in {path}")
    _salts[path] = salt
    return salt


def _read_salt(path: Path) -> bytes | None:
    try:
        with open_private_for_read(path, SALT_BYTES) as handle:
            salt = handle.read(SALT_BYTES + 1)
    except OSError:
        return None
    return salt if len(salt) == SALT_BYTES else None


def _create_salt(path: Path) -> None:
    """Put a fresh salt at `path` whole: written to a temporary, then linked into place (which
    fails if another process got there first, and then its salt is the one used) or, when
    what is there is unusable, renamed over it."""
    import secrets  # once per user, not at every start

    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(secrets.token_bytes(SALT_BYTES))
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            if _read_salt(path) is None:
                os.replace(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
