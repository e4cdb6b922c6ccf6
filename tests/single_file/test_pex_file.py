"""The single file (`skipup-campaigns.pex`) built as the README's "On a jump box" says, from a
fresh copy of the repository, and run as on a jump box: the machine's own interpreter with
`-I`, `env -i PATH=/usr/bin:/bin HOME=<empty>`, from another directory, no network but
loopback. One build serves every test (about 20 s on this machine: marked slow)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal
from tests.single_file.jump_box import (
    PEX_NAME,
    as_written,
    box_env,
    fresh_copy,
    in_namespace_of,
    loopback_only,
    readme_commands,
    real_python,
    run_pex,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def jump_box(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's `--here` build run in a fresh copy, then the file "scp"d to a box
    directory elsewhere: returns the copied file."""
    (build,) = [line for line in readme_commands() if "build_pex.py --here" in line]
    clone = fresh_copy(tmp_path_factory.mktemp("clone"))
    subprocess.run(as_written(build), cwd=clone, check=True, timeout=600)
    box = tmp_path_factory.mktemp("box")
    shutil.copy2(clone / "dist" / PEX_NAME, box / PEX_NAME)  # scp dist/skipup-campaigns.pex jump:
    return box / PEX_NAME


@pytest.fixture(scope="session")
def network() -> list[str]:
    return loopback_only()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    return home


def test_the_readme_shows_the_copy_and_the_run(jump_box: Path) -> None:
    commands = readme_commands()
    assert any(line.startswith("scp dist/skipup-campaigns.pex ") for line in commands)
    assert "python3 skipup-campaigns.pex --demo" in "\n".join(commands)
    assert any("tools/build_pex.py" in line and "--here" not in line for line in commands)
    assert jump_box.read_bytes().startswith(b"#!/usr/bin/env python3\n")
    assert os.access(jump_box, os.X_OK)


def test_version_under_python_S(jump_box: Path, home: Path, tmp_path: Path) -> None:
    """`python3 -I -S` (no site): the program still starts, no traceback."""
    done = run_pex(jump_box, ["--version"], home=home, cwd=tmp_path, options=["-I", "-S"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("skipup-campaigns ")
    assert "Traceback" not in done.stderr


def test_version_isolated_in_an_empty_home(
    jump_box: Path, home: Path, network: list[str], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = run_pex(jump_box, ["--version"], home=home, cwd=elsewhere, prefix=network)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("skipup-campaigns ")
    assert "Traceback" not in done.stderr
    # Unpacked into the user's own 0700 cache directory, nowhere else.
    root = home / ".cache" / "skipup-campaigns" / "pex"
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert stat.S_IMODE(root.parent.stat().st_mode) == 0o700
    assert sorted(p.name for p in home.iterdir()) == [".cache"]
    assert sorted(p.name for p in (home / ".cache").iterdir()) == ["skipup-campaigns"]
    assert list(elsewhere.iterdir()) == []


@pytest.fixture
def sandbox(
    jump_box: Path, home: Path, network: list[str], tmp_path: Path
) -> Iterator[tuple[str, int]]:
    """`sandbox` from the file on a loopback port: (base URL, pid whose network it is in)."""
    argv = [
        *network,
        "env",
        "-i",
        *(f"{k}={v}" for k, v in box_env(home).items()),
        real_python(),
        "-I",
        str(jump_box),
        "sandbox",
        "--port",
        "0",
        "--db",
        str(tmp_path / "sandbox.db"),
    ]
    process = subprocess.Popen(
        argv, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("SkipUp sandbox listening on http://127.0.0.1:"), first
        yield first.split()[-1], process.pid
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_sandbox_and_list_json_from_the_file(
    jump_box: Path, home: Path, network: list[str], sandbox: tuple[str, int], tmp_path: Path
) -> None:
    url, pid = sandbox
    env = box_env(home, SKIPUP_API_KEY="sk_test_admin", SKIPUP_BASE_URL=url)
    prefix = in_namespace_of(pid) if network else []
    done = run_pex(jump_box, ["list", "--json"], home=home, cwd=tmp_path, prefix=prefix, env=env)
    assert done.returncode == 0, done.stderr
    campaigns = json.loads(done.stdout)
    assert len(campaigns) == 40
    assert any(campaign["name"] == "NAA 2026" for campaign in campaigns)


def test_demo_draws_its_first_frame_and_quits_on_q(
    jump_box: Path, home: Path, network: list[str], tmp_path: Path
) -> None:
    terminal = Terminal([*network, real_python(), "-I", str(jump_box), "--demo"], cols=80, rows=24)
    terminal.env = box_env(home, TERM="xterm-256color", LANG="C.UTF-8")
    with terminal as term:
        screen = term.wait_for("of 40 campaigns", timeout=90)
        assert "NAA 2026" in screen
        term.send("q")
        assert term.wait_exit(timeout=30) == 0
    assert b"Traceback" not in term.raw


def test_set_key_with_no_d_bus_says_the_keyring_is_unavailable(
    jump_box: Path, home: Path, tmp_path: Path
) -> None:
    """`env -i` leaves no D-Bus session, as on most jump boxes: a piped key is not stored,
    and the message says what to do instead."""
    done = run_pex(
        jump_box, ["config", "set-key"], home=home, cwd=tmp_path, stdin="sk_test_jump_box\n"
    )
    assert done.returncode == 3, done.stderr
    assert "keyring is unavailable" in done.stderr and "SKIPUP_API_KEY" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (home / ".config").exists()


def test_a_cache_directory_of_another_user_is_refused(
    jump_box: Path, home: Path, tmp_path: Path
) -> None:
    if os.geteuid() != 0:
        pytest.skip("making a directory another user's needs root")
    root = home / ".cache" / "skipup-campaigns" / "pex"
    root.mkdir(parents=True, mode=0o700)
    os.chown(root, 65534, 65534)  # nobody
    done = run_pex(jump_box, ["--version"], home=home, cwd=tmp_path)
    assert done.returncode == 1
    assert "belongs to another user" in done.stderr and "Traceback" not in done.stderr
    assert list(root.iterdir()) == []  # nothing was unpacked into it


def test_a_cache_directory_others_can_write_is_refused(
    jump_box: Path, home: Path, tmp_path: Path
) -> None:
    root = home / ".cache" / "skipup-campaigns" / "pex"
    root.mkdir(parents=True)
    root.chmod(0o777)
    done = run_pex(jump_box, ["--version"], home=home, cwd=tmp_path)
    assert done.returncode == 1
    assert "other users can write" in done.stderr and f"rm -rf {root}" in done.stderr
    assert list(root.iterdir()) == []


def test_the_file_runs_as_an_executable_too(jump_box: Path, home: Path, tmp_path: Path) -> None:
    python_dir = str(Path(real_python()).parent)
    done = subprocess.run(
        [str(jump_box), "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": f"{python_dir}:/usr/bin:/bin", "HOME": str(home)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("skipup-campaigns ")
