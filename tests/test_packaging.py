"""The package as users get it: the wheel carries the styles, the entry points run, and CI runs
exactly what the README tells people to run."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("skipup_campaigns-*.whl")
    return built


def test_wheel_carries_every_stylesheet(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    sheets = sorted(p.name for p in (ROOT / "styles").glob("*.tcss"))
    assert sheets
    for sheet in sheets:
        assert f"skipup_campaigns/styles/{sheet}" in names


def test_installed_wheel_finds_its_styles(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    done = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]); from skipup_campaigns import paths; "
            "d = paths.styles_dir(); print(d); print(sorted(p.name for p in d.glob('*.tcss')))",
            str(target),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    where, listing = done.stdout.splitlines()
    assert Path(where).is_relative_to(target)
    assert "base.tcss" in listing


def test_module_and_console_script_run_the_same_cli() -> None:
    as_module = subprocess.run(
        [sys.executable, "-m", "skipup_campaigns", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert as_module.returncode == 0
    assert re.fullmatch(r"skipup-campaigns \d+\.\d+\.\d+\n", as_module.stdout)
    script = Path(sys.executable).with_name("skipup-campaigns")
    if script.exists():
        assert (
            subprocess.run(
                [str(script), "--version"], capture_output=True, text=True, timeout=60
            ).stdout
            == as_module.stdout
        )


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    start = text.split("## Start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", start)


def test_readme_has_exactly_two_setup_lines_and_ci_runs_the_test_line() -> None:
    demo, tests = readme_commands()
    assert demo.endswith("skipup-campaigns --demo")
    assert tests.endswith("pytest")
    ci = (ROOT / ".ci" / "run").read_text()
    assert tests in ci.splitlines()


def test_parsing_the_command_line_does_not_import_the_http_stack() -> None:
    """The UI draws cached rows before it needs httpx and pydantic (about 90 ms of imports);
    building the parser, which every start does, must not pull them in."""
    code = (
        "import sys; from skipup_campaigns.cli import build_parser; build_parser()\n"
        "heavy = [m for m in ('httpx', 'pydantic', 'keyring', 'tomlkit', 'argcomplete') "
        "if m in sys.modules]\nprint(heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
