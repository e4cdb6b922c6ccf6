"""The private-file helpers against real hostile files: symlinks (also to /dev/zero), FIFOs,
another user's file, a file others can read, one too big, a planted temporary name."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from skipup_campaigns import config, paths
from skipup_campaigns.private_files import (
    SALT_BYTES,
    PrivateFileError,
    ensure_private_dir,
    keyed_name,
    open_private_for_read,
    user_salt,
    write_private_atomically,
)

NOBODY = 65534


def private(path: Path, data: bytes = b"ok") -> Path:
    path.write_bytes(data)
    path.chmod(0o600)
    return path


def test_a_private_regular_file_is_read(tmp_path: Path) -> None:
    with open_private_for_read(private(tmp_path / "f", b"hello"), 100) as handle:
        assert handle.read() == b"hello"


def test_a_missing_file_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        open_private_for_read(tmp_path / "missing", 100)


def test_a_symlink_is_never_followed_even_to_a_private_file(tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(private(tmp_path / "target"))
    with pytest.raises(PrivateFileError, match="symlink"):
        open_private_for_read(link, 100)


def test_a_symlink_to_dev_zero_is_refused_at_once(tmp_path: Path) -> None:
    link = tmp_path / "zero"
    link.symlink_to("/dev/zero")
    with pytest.raises(PrivateFileError, match="symlink"):
        open_private_for_read(link, 100)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo, 0o600)
    with pytest.raises(PrivateFileError, match="not a regular file"):
        open_private_for_read(fifo, 100)  # a blocking open would hang here for ever


def test_a_file_others_can_read_is_refused(tmp_path: Path) -> None:
    shared = private(tmp_path / "shared")
    shared.chmod(0o644)
    with pytest.raises(PrivateFileError, match="other users"):
        open_private_for_read(shared, 100)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_another_users_file_is_refused(tmp_path: Path) -> None:
    theirs = private(tmp_path / "theirs")
    os.chown(theirs, NOBODY, NOBODY)
    with pytest.raises(PrivateFileError, match="another user"):
        open_private_for_read(theirs, 100)


def test_a_file_over_the_cap_is_refused(tmp_path: Path) -> None:
    big = private(tmp_path / "big", b"x" * 101)
    with pytest.raises(PrivateFileError, match="larger than 100 bytes"):
        open_private_for_read(big, 100)
    with open_private_for_read(big, 101) as handle:
        assert len(handle.read()) == 101


def test_an_atomic_write_is_0600_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_private_atomically(target, "first")
    write_private_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert list(tmp_path.iterdir()) == [target]


def test_an_atomic_write_replaces_a_planted_symlink_instead_of_following_it(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("untouched")
    victim.chmod(0o644)
    target = tmp_path / "out"
    target.symlink_to(victim)
    write_private_atomically(target, "secret")
    assert victim.read_text() == "untouched"
    assert not target.is_symlink() and target.read_text() == "secret"


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    from skipup_campaigns.private_files import private_writer

    target = private(tmp_path / "out", b"old")
    with pytest.raises(RuntimeError), private_writer(target) as out:
        out.write(b"half")
        raise RuntimeError("disk full, say")
    assert target.read_bytes() == b"old" and list(tmp_path.iterdir()) == [target]


def test_directories_are_created_0700_and_tightened(tmp_path: Path) -> None:
    made = ensure_private_dir(tmp_path / "a" / "b")
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    ensure_private_dir(loose)
    assert stat.S_IMODE(loose.stat().st_mode) == 0o700


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a directory to another user needs root")
def test_another_users_directory_is_refused(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    os.chown(theirs, NOBODY, NOBODY)
    with pytest.raises(PrivateFileError, match="another user"):
        ensure_private_dir(theirs)


def test_the_data_directory_and_the_state_file_are_private() -> None:
    config.remember(theme="nord")  # the state file: 0600 in the 0700 data directory
    assert stat.S_IMODE(paths.data_dir().stat().st_mode) == 0o700
    assert stat.S_IMODE(config.state_path().stat().st_mode) == 0o600
    assert config.load_state() == {"theme": "nord"}


def test_paths_and_private_files_do_not_import_each_other() -> None:
    """Finding 18: paths.py imported private_files (to make its private_*_dir) and
    private_files imported paths (for the salt's place). paths only names directories now;
    private_files, which makes them private, is the one that imports."""
    import ast
    import inspect

    imported = {
        node.module
        for node in ast.walk(ast.parse(inspect.getsource(paths)))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not {name for name in imported if name.startswith("skipup_campaigns")}


def test_the_state_file_is_written_through_an_unpredictable_temporary() -> None:
    """The old code wrote state.tmp, following a symlink planted there."""
    data = ensure_private_dir(paths.data_dir())
    victim = data.parent / "victim"
    victim.write_text("untouched")
    (data / "state.tmp").symlink_to(victim)
    config.remember(theme="nord")
    assert victim.read_text() == "untouched"


def test_keyed_names_are_stable_salted_and_the_salt_private(tmp_path: Path) -> None:
    salt_file = tmp_path / "salt-dir" / "salt"
    first = keyed_name("https://api.example", "sk_live_x", salt_file=salt_file)
    assert first == keyed_name("https://api.example", "sk_live_x", salt_file=salt_file)
    assert first != keyed_name("https://api.example", "sk_live_y", salt_file=salt_file)
    assert len(first) == 32 and "sk_live" not in first
    assert stat.S_IMODE(salt_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(salt_file.parent.stat().st_mode) == 0o700
    assert len(salt_file.read_bytes()) == SALT_BYTES
    # Another user (another salt) gets another name: a name says nothing about the key.
    other = keyed_name("https://api.example", "sk_live_x", salt_file=tmp_path / "other")
    assert other != first
    # Not the unsalted hash either (that one anyone can compute from a guess).
    import hashlib

    assert first != hashlib.sha256(b"https://api.example\0sk_live_x").hexdigest()[:32]


def test_an_unsafe_salt_file_is_replaced_not_used(tmp_path: Path) -> None:
    salt_file = tmp_path / "salt"
    known = b"k" * SALT_BYTES
    salt_file.write_bytes(known)
    salt_file.chmod(0o644)  # others could have read it: an attacker may know it
    assert user_salt(salt_file) != known
    assert stat.S_IMODE(salt_file.stat().st_mode) == 0o600
    linked = tmp_path / "linked"
    planted = private(tmp_path / "planted", known)
    linked.symlink_to(planted)
    assert user_salt(linked) != known and not linked.is_symlink()
    assert planted.read_bytes() == known
