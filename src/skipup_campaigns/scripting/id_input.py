"""Campaign ids for the commands that take several: words on the command line, and `-` for
stdin (one id a line, or the JSON array `list --json` prints).

Stdin is read as a stream and bounded, so a script's mistake costs neither memory nor minutes:
lines are read one at a time and reading stops at the first id past `MAX_IDS`; a JSON array is
read up to `MAX_JSON_BYTES` and its elements are decoded one at a time. Whatever is wrong with
the input (more than the cap, bytes that are not UTF-8, JSON nested too deep or broken, a word
that cannot be an id) is a `CommandError` with one line naming it, and the usage exit status.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, TextIO

from skipup_campaigns.scripting import exit_codes, output
from skipup_campaigns.scripting.session import CommandError

MAX_IDS = 10_000
"""The most campaigns one command changes (the README says so): more is refused at once."""
MAX_JSON_BYTES = 64 * 1024 * 1024
"""A JSON array on stdin at most this large: `list --json` of `MAX_IDS` campaigns fits."""
MAX_ID_LENGTH = 200
_MAX_LINE_BYTES = 4096
"""A line longer than this cannot hold an id: refused without reading the rest of it."""
_CHUNK = 64 * 1024
_WHITESPACE = " \t\r\n"


def read_ids(stdin: TextIO, given: list[str]) -> list[str]:
    """The ids given, with `-` replaced by those on stdin; each once, in order."""
    if given.count("-") > 1:
        raise _usage("- (ids from stdin) can be given once")
    ids: list[str] = []
    for word in given:
        if word == "-":
            ids += _stdin_ids(stdin, room=MAX_IDS - len(ids))
        else:
            ids.append(_checked(word.strip(), "argument"))
    unique = list(dict.fromkeys(campaign_id for campaign_id in ids if campaign_id))
    if not unique:
        raise _usage("no campaign ids given (stdin had none)")
    if len(unique) > MAX_IDS:
        raise _too_many()
    return unique


def _usage(message: str) -> CommandError:
    return CommandError(exit_codes.USAGE, message)


def _too_many() -> CommandError:
    return _usage(
        f"more than {MAX_IDS:,} campaign ids: one command changes at most "
        f"{MAX_IDS:,}; split them (e.g. split -l {MAX_IDS})"
    )


def _checked(campaign_id: str, where: str) -> str:
    if campaign_id.startswith(('"', "{")):
        raise _not_ids(where)
    if (
        len(campaign_id) > MAX_ID_LENGTH
        or not campaign_id.isprintable()
        or any(char.isspace() for char in campaign_id)
    ):
        raise _usage(f"{where}: {output.cell(campaign_id)[:60]!r} is not a campaign id")
    return campaign_id


def _not_ids(where: str) -> CommandError:
    """A JSON string or object where an id belongs (`jq '.[].id'` without -r): never an id,
    however id-like the text inside its quotes."""
    return _usage(
        f"{where} is a JSON string or object: those cannot be ids; give one id a "
        "line (jq -r) or a JSON array (as list --json prints)"
    )


def _binary(stdin: TextIO) -> IO[bytes]:
    """The bytes under a text stream (decoded here, strictly); a stream without them (a test's
    StringIO) is encoded back."""
    buffer = getattr(stdin, "buffer", None)
    if buffer is not None:
        return buffer
    import io

    return io.BytesIO(stdin.read().encode("utf-8", "surrogateescape"))


def _stdin_ids(stdin: TextIO, *, room: int) -> list[str]:
    source = _binary(stdin)
    head = b""
    while not head.strip():  # the first byte that is not blank says which form it is
        chunk = source.read1(_CHUNK) if hasattr(source, "read1") else source.read(_CHUNK)
        if not chunk:
            return []
        head += chunk
    if head.lstrip(b" \t\r\n").removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"["):
        return _json_ids(head, source, room)
    ids: list[str] = []
    for number, line in _lines(head, source):
        campaign_id = line.strip()
        if campaign_id:
            if len(ids) == room:
                raise _too_many()
            ids.append(_checked(campaign_id, f"stdin line {number}"))
    return ids


def _lines(head: bytes, source: IO[bytes]) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line, read a chunk at a time."""
    pending, number = head, 0
    while True:
        cut = pending.find(b"\n")
        if cut < 0 and len(pending) <= _MAX_LINE_BYTES:
            chunk = source.read1(_CHUNK) if hasattr(source, "read1") else source.read(_CHUNK)
            if chunk:
                pending += chunk
                continue
            if not pending:
                return
            cut = len(pending)
        number += 1
        if cut > _MAX_LINE_BYTES or cut < 0:
            raise _usage(
                f"stdin line {number} is longer than {_MAX_LINE_BYTES:,} bytes: not a campaign id"
            )
        raw, pending = pending[:cut], pending[cut + 1 :]
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        yield number, _decoded(raw, f"stdin line {number}")


def _decoded(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _usage(
            f"{where} is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None


def _json_ids(head: bytes, source: IO[bytes], room: int) -> list[str]:
    """The ids of a JSON array of ids or of objects with an "id", element by element."""
    data = head + source.read(MAX_JSON_BYTES + 1 - len(head))
    if len(data) > MAX_JSON_BYTES:
        raise _usage(
            f"stdin's JSON is larger than {MAX_JSON_BYTES // (1024 * 1024)} MiB; "
            "give the ids one a line, or fewer at a time"
        )
    text = _decoded(data, "stdin").lstrip(_WHITESPACE + "\ufeff")
    decoder = json.JSONDecoder()
    ids: list[str] = []
    at = _skip(text, 1)
    if text.startswith("]", at):
        return _end(text, at + 1, ids)
    while True:
        try:
            item, at = decoder.raw_decode(text, at)
        except RecursionError:
            raise _usage("stdin's JSON is nested too deeply to be a list of campaigns") from None
        except json.JSONDecodeError as exc:
            raise _usage(f"stdin is not a JSON array of campaigns: {exc}") from None
        value = item.get("id") if isinstance(item, dict) else item
        if not isinstance(value, str):
            raise _usage(
                'stdin\'s JSON array must hold ids or objects with an "id" (as list --json prints)'
            )
        if len(ids) == room:
            raise _too_many()
        ids.append(
            _checked(value.strip(), f"stdin's JSON item {len(ids) + 1}") if value.strip() else ""
        )
        at = _skip(text, at)
        if text.startswith("]", at):
            return _end(text, at + 1, ids)
        if not text.startswith(",", at):
            raise _usage(
                f"stdin is not a JSON array of campaigns: expected ',' or ']' at char {at}"
            )
        at = _skip(text, at + 1)


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in _WHITESPACE:
        at += 1
    return at


def _end(text: str, at: int, ids: list[str]) -> list[str]:
    if text[_skip(text, at) :]:
        raise _usage(
            f"stdin is not a JSON array of campaigns: extra data at char {_skip(text, at)}"
        )
    return ids
