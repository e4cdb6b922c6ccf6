"""Runs first in `skipup-campaigns.pex`, before pex unpacks anything: picks a cache directory
(PEX_ROOT) that only the user can change, or refuses to start.

pex unpacks the program into PEX_ROOT (by default `~/.cache/pex`, made with the umask's mode)
and runs it from there on every later start without checking what is there. On a shared jump
box that directory must be the user's own: if another user could write to it, or to any
directory above it, they could replace the code the next start runs. So:

- the default is `$XDG_CACHE_HOME/skipup-campaigns/pex` (else `~/.cache/skipup-campaigns/pex`),
  created 0700; an explicit `PEX_ROOT` is checked the same way;
- the directory must be the user's own, and not writable by anyone else (a loose mode that
  only lets others read is tightened to 0700; one that let others write is refused, since its
  contents can no longer be trusted);
- every directory above it must be owned by the user or root, and writable by nobody else
  (a sticky directory such as /tmp excepted, where others cannot rename what is not theirs).

It also undoes `python3 -S`: pex hands the interpreter's options on to the venv it runs the
program in, and without `site` that venv's site-packages (the program itself) is not on the
path. So under -S the file starts itself again without it, the other options kept.

tools/build_pex.py embeds this file's source in the pex's `__main__.py` and runs it in its own
namespace under the name `__pex_root_guard__`. It is standard library only (nothing else is
importable yet), and its syntax must parse on Python 3.6 (RHEL 7's python3), so that a too-old
python3 hears so in words rather than from a SyntaxError.
"""

import os
import stat
import sys
from typing import Mapping, Sequence  # noqa: UP035 - 3.6 has no abc[...]

NEEDS_PYTHON = (3, 11)
PROGRAM = "skipup-campaigns"


class Refused(Exception):
    """The cache directory cannot be trusted; the message says why and what to do."""


def default_root(environ: Mapping[str, str]) -> str:
    cache = environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(cache):  # the XDG rule: a relative value is ignored
        cache = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, PROGRAM, "pex")


def _make_private_dirs(root: str, explicit: bool) -> None:
    """Create `root` (and, for the default, its `skipup-campaigns` parent) mode 0700; the
    directories above those are made as usual (the user's own cache directory)."""
    own = [root] if explicit else [os.path.dirname(root), root]
    os.makedirs(os.path.dirname(own[0]), exist_ok=True)
    for directory in own:
        try:
            os.mkdir(directory, 0o700)
        except FileExistsError:
            pass


def _others_can_write(info: os.stat_result, uid: int, gid: int) -> bool:
    """True if someone but `uid` (or root) can create, rename or remove entries here."""
    if info.st_uid not in (0, uid):
        return True
    if info.st_mode & stat.S_ISVTX:  # sticky: only an entry's owner may rename or remove it
        return False
    if info.st_mode & stat.S_IWOTH:
        return True
    # Group-writable is fine only for the user's own group (the user-private-group scheme).
    return bool(info.st_mode & stat.S_IWGRP) and info.st_gid != gid


def private_root(environ: Mapping[str, str], uid: int, gid: int) -> str:
    """The PEX_ROOT to use (created when missing), or Refused with the reason and the fix."""
    explicit = bool(environ.get("PEX_ROOT"))
    root = os.path.abspath(
        os.path.expanduser(environ["PEX_ROOT"] if explicit else default_root(environ))
    )
    try:
        _make_private_dirs(root, explicit)
    except OSError as exc:
        raise Refused(
            f"cannot create the cache directory {root} ({exc.strerror or exc}); "
            "set PEX_ROOT to a directory of your own"
        ) from None
    real = os.path.realpath(root)
    info = os.stat(real)
    if not stat.S_ISDIR(info.st_mode):
        raise Refused(
            f"{root} is not a directory; remove it or set PEX_ROOT to a directory of your own"
        )
    if info.st_uid != uid:
        raise Refused(
            f"the cache directory {root} belongs to another user (uid "
            f"{info.st_uid}), who could change the code run from it; remove it or "
            "set PEX_ROOT to a directory of your own"
        )
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise Refused(
            f"other users can write to the cache directory {root}, so what is in it "
            f"cannot be trusted; remove it (rm -rf {root}) and run again"
        )
    if info.st_mode & 0o077:
        os.chmod(real, 0o700)
    parent = os.path.dirname(real)
    while True:
        if _others_can_write(os.stat(parent), uid, gid):
            raise Refused(
                f"another user can rename or replace {parent}, above the cache "
                f"directory {root}; set PEX_ROOT to a directory only you can change"
            )
        if os.path.dirname(parent) == parent:
            return root
        parent = os.path.dirname(parent)


def _without_S(option: str) -> str:
    """One option word with the `S` flag taken out of it ("-IS" -> "-I", "-S" -> "-"); the
    value of a value-taking option ("-Wdefault", "-Xdev") is left alone."""
    kept = "-"
    for index, flag in enumerate(option[1:], start=1):
        if flag in "WXcm":
            return kept + option[index:]
        if flag != "S":
            kept += flag
    return kept


def argv_with_site(orig_argv: Sequence[str], script: str) -> "list[str] | None":
    """`orig_argv` (sys.orig_argv) without -S among the interpreter's options before `script`,
    or None when `script` is not found in it (then nothing can be safely rebuilt)."""
    options: list[str] = []
    words = list(orig_argv[1:])
    while words:
        word = words.pop(0)
        if os.path.exists(word) and os.path.samefile(word, script):
            return [orig_argv[0], *options, word, *words]
        if word in ("-W", "-X"):  # the value is the next word
            options += [word, words.pop(0)] if words else [word]
        elif word.startswith("-") and not word.startswith("--"):
            stripped = _without_S(word)
            if stripped != "-":
                options.append(stripped)
        else:
            options.append(word)
    return None


RESTARTED = "SKIPUP_CAMPAIGNS_SITE_RESTART"
"""Set in the environment of the one restart without -S."""


def restart_with_site() -> None:
    """Under `python3 -S`, exec the same interpreter on the same file without -S; or, when the
    command line cannot be read back, say what to do and exit 2."""
    orig_argv = list(getattr(sys, "orig_argv", []))
    argv = argv_with_site(orig_argv, sys.argv[0])
    # Once only, and only where -S was what left site out: a `._pth` file beside the
    # interpreter does too, and the same command line again would exec for ever.
    if argv is None or argv == orig_argv or os.environ.get(RESTARTED) == "1":
        sys.stderr.write(
            f"{PROGRAM}: cannot run with python3 -S (the file needs site-packages); "
            f"run it without -S: python3 {os.path.basename(sys.argv[0])}\n"
        )
        raise SystemExit(2)
    os.environ[RESTARTED] = "1"
    os.execv(sys.executable, argv)


def main() -> None:
    """Set PEX_ROOT for pex's boot, or say why not and exit 1."""
    if sys.version_info < NEEDS_PYTHON:
        needed, running = "{}.{}".format(*NEEDS_PYTHON), "{}.{}".format(*sys.version_info)
        sys.stderr.write(
            f"{PROGRAM}: needs Python {needed} or newer; this python3 is "
            f"{running}. Run the file with a newer one, e.g. python3.11 "
            f"{os.path.basename(sys.argv[0])}\n"
        )
        raise SystemExit(1)
    if sys.flags.no_site:
        restart_with_site()
    try:
        os.environ["PEX_ROOT"] = private_root(os.environ, os.geteuid(), os.getegid())
    except (Refused, OSError) as exc:
        sys.stderr.write(f"{PROGRAM}: {exc}\n")
        raise SystemExit(1) from None


if __name__ == "__pex_root_guard__":
    main()
