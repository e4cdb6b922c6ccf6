"""The PEX_ROOT guard (tools/pex_root_guard.py) on its own: which cache directories it accepts,
tightens or refuses, without building a pex."""

from __future__ import annotations

import importlib.util
import os
import stat
from pathlib import Path
from types import ModuleType

import pytest

from tests.single_file.jump_box import ROOT


def load_guard() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "pex_root_guard", ROOT / "tools" / "pex_root_guard.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


guard = load_guard()
UID, GID = os.geteuid(), os.getegid()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    tmp_path.chmod(0o755)
    return home


def test_the_default_is_a_new_0700_directory_in_the_users_cache(home: Path) -> None:
    env = {"XDG_CACHE_HOME": str(home / ".cache")}
    root = guard.private_root(env, UID, GID)
    assert root == str(home / ".cache" / "skipup-campaigns" / "pex")
    assert stat.S_IMODE(os.stat(root).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(Path(root).parent).st_mode) == 0o700


def test_a_relative_xdg_cache_home_is_ignored(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(home))
    assert guard.default_root({"XDG_CACHE_HOME": "relative"}) == str(
        home / ".cache" / "skipup-campaigns" / "pex"
    )


def test_a_readable_directory_of_ones_own_is_tightened(home: Path) -> None:
    root = home / "pex"
    root.mkdir(mode=0o755)
    root.chmod(0o755)
    assert guard.private_root({"PEX_ROOT": str(root)}, UID, GID) == str(root)
    assert stat.S_IMODE(root.stat().st_mode) == 0o700


def test_a_directory_others_could_write_is_refused_not_repaired(home: Path) -> None:
    root = home / "pex"
    root.mkdir()
    root.chmod(0o777)
    with pytest.raises(guard.Refused, match="other users can write"):
        guard.private_root({"PEX_ROOT": str(root)}, UID, GID)
    assert stat.S_IMODE(root.stat().st_mode) == 0o777


def test_a_directory_of_another_user_is_refused(home: Path) -> None:
    root = home / "pex"
    root.mkdir(mode=0o700)
    with pytest.raises(guard.Refused, match="belongs to another user"):
        guard.private_root({"PEX_ROOT": str(root)}, UID + 1, GID)


def test_a_parent_others_can_write_is_refused_unless_sticky(home: Path) -> None:
    shared = home / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with pytest.raises(guard.Refused, match="another user can rename or replace"):
        guard.private_root({"PEX_ROOT": str(shared / "pex")}, UID, GID)
    shared.chmod(0o1777)  # like /tmp: nobody else can rename what is ours
    assert guard.private_root({"PEX_ROOT": str(shared / "pex")}, UID, GID)


def test_a_parent_writable_by_the_users_own_group_only_is_accepted(home: Path) -> None:
    home.chmod(0o770)
    assert guard.private_root({"PEX_ROOT": str(home / "pex")}, UID, GID)
    with pytest.raises(guard.Refused, match="another user can rename"):
        guard.private_root({"PEX_ROOT": str(home / "pex")}, UID, GID + 1)


def test_a_symlinked_cache_is_checked_where_it_points(home: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    elsewhere.chmod(0o777)
    (home / ".cache").symlink_to(elsewhere)
    with pytest.raises(guard.Refused, match=str(elsewhere)):
        guard.private_root({"XDG_CACHE_HOME": str(home / ".cache")}, UID, GID)


def test_a_cache_that_cannot_be_created_says_so(home: Path) -> None:
    blocker = home / "file"
    blocker.write_text("")
    with pytest.raises(guard.Refused, match="cannot create the cache directory"):
        guard.private_root({"PEX_ROOT": str(blocker / "pex")}, UID, GID)


def test_main_refuses_with_one_line_and_status_1(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = home / "pex"
    root.mkdir()
    root.chmod(0o777)
    monkeypatch.setenv("PEX_ROOT", str(root))
    with pytest.raises(SystemExit) as exited:
        guard.main()
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("skipup-campaigns: other users can write") and err.count("\n") == 1


def test_the_restart_under_S_drops_only_S(tmp_path: Path) -> None:
    pex = tmp_path / "x.pex"
    pex.write_bytes(b"")
    args = ["--demo", "-S"]
    assert guard.argv_with_site(["python3", "-I", "-S", str(pex), *args], str(pex)) == [
        "python3",
        "-I",
        str(pex),
        *args,
    ]
    assert guard.argv_with_site(["python3", "-SIu", "-WS", "-X", "S", str(pex)], str(pex)) == [
        "python3",
        "-Iu",
        "-WS",
        "-X",
        "S",
        str(pex),
    ]
    assert guard.argv_with_site(["python3", "-S", "-c", "x"], str(pex)) is None


@pytest.mark.parametrize("restarted", [False, True])
def test_site_left_out_by_other_than_S_is_said_not_restarted_for_ever(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restarted: bool,
) -> None:
    """A `._pth` file beside the interpreter leaves site out with no -S on the command line:
    the same command again would leave it out again (found in review: it exec'd for ever).
    So would a restart that still has no site."""
    pex = tmp_path / "x.pex"
    pex.write_bytes(b"")
    execs: list[list[str]] = []
    monkeypatch.setattr(guard.os, "execv", lambda path, argv: execs.append(argv))
    monkeypatch.setattr(guard.sys, "argv", [str(pex)])
    if restarted:  # the one restart: -S was on the first command line, not on this one
        monkeypatch.setattr(guard.sys, "orig_argv", ["python3", "-S", str(pex)])
        monkeypatch.setenv(guard.RESTARTED, "1")
    else:
        monkeypatch.setattr(guard.sys, "orig_argv", ["python3", str(pex), "--demo"])
        monkeypatch.delenv(guard.RESTARTED, raising=False)
    with pytest.raises(SystemExit) as exited:
        guard.restart_with_site()
    assert exited.value.code == 2 and not execs
    err = capsys.readouterr().err
    assert "cannot run with python3 -S" in err and err.count("\n") == 1


def test_under_S_it_restarts_once_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pex = tmp_path / "x.pex"
    pex.write_bytes(b"")
    execs: list[list[str]] = []
    monkeypatch.setattr(guard.os, "execv", lambda path, argv: execs.append(argv))
    monkeypatch.setattr(guard.sys, "argv", [str(pex)])
    monkeypatch.setattr(guard.sys, "orig_argv", ["python3", "-I", "-S", str(pex)])
    monkeypatch.delenv(guard.RESTARTED, raising=False)
    guard.restart_with_site()
    assert execs == [["python3", "-I", str(pex)]] and os.environ[guard.RESTARTED] == "1"
