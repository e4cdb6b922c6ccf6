"""`--log FILE`: every request and response written down for debugging, with the key never in
it. The file is created private (0600) before anything is written; the Authorization header is
replaced in the client, and this module's filter also blanks the key and anything shaped like
a SkipUp key wherever else it might appear. Control characters from the server are escaped, so
`cat` on the log cannot drive the terminal either."""

from __future__ import annotations

import errno
import logging
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

REDACTED = "«redacted»"
_KEY_SHAPE = re.compile(r"sk_[A-Za-z0-9_\-]{4,}")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with each secret, and anything shaped like a SkipUp key, replaced by «redacted»
    (the log's rule; the API client applies it to server error messages too)."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return _KEY_SHAPE.sub(REDACTED, text)


class LogFileError(Exception):
    """The log file cannot be used; the message says why."""


class _Redacting(logging.Formatter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = redact(super().format(record), self.secrets)
        return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def start_log(path: Path, secrets: Iterable[str] = ()) -> logging.Handler:
    """Append the package's debug log to `path` (created 0600; a symlink, a FIFO or device,
    another user's file or one others can read is refused). Returns the handler, so a caller
    can remove it again."""
    # One open that refuses a symlink (O_NOFOLLOW) and a FIFO without a reader (O_NONBLOCK),
    # then checks what was opened: testing the path first and opening it after is a race a
    # planted symlink can win.
    try:
        descriptor = os.open(
            path,
            os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
            0o600,
        )
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LogFileError(f"refusing the log file {path}: it is a symlink") from None
        raise LogFileError(f"cannot open the log file {path}: {exc.strerror}") from None
    refusal = _refusal(os.fstat(descriptor), path)
    if refusal:
        os.close(descriptor)
        raise LogFileError(f"refusing the log file {path}: {refusal}")
    os.set_blocking(descriptor, True)
    stream = os.fdopen(descriptor, "a", encoding="utf-8")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_Redacting(secrets))
    handler.setLevel(logging.DEBUG)
    logger = logging.getLogger("skipup_campaigns")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return handler


def _refusal(info: os.stat_result, path: Path) -> str | None:
    """Why the opened file must not receive the log, or None."""
    if not stat.S_ISREG(info.st_mode):
        return "it is not a regular file"
    if info.st_uid != os.geteuid():
        return "it belongs to another user"
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        return f"other users can read it. Run: chmod 600 {path}"
    return None
