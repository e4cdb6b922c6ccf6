"""A jump box, as far as a test can make one: the single file built as the README says, from a
fresh copy of the repository, run by the machine's real interpreter (not this venv's) with
`-I`, an empty HOME, `env -i`'s environment, from another directory, and (where the kernel lets
us make a network namespace) no network but loopback."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PEX_NAME = "skipup-campaigns.pex"


def readme_section() -> str:
    text = (ROOT / "README.md").read_text()
    return text.split("\n## On a jump box\n", 1)[1].split("\n## ", 1)[0]


def readme_commands() -> list[str]:
    """Every line of the section's `sh` blocks."""
    blocks = re.findall(r"```sh\n(.+?)\n```", readme_section(), flags=re.S)
    return [line for block in blocks for line in block.splitlines()]


def real_python() -> str:
    """The interpreter under this venv (pyenv's shim or /usr/bin/python3 would be a guess):
    the base installation's own python3.X binary."""
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    found = Path(sys.base_prefix) / "bin" / version
    return str(found if found.exists() else Path(sys.executable).resolve())


def fresh_copy(target: Path) -> Path:
    """The repository's tracked files (as they are now on disk) copied to `target`: a fresh
    clone, without this checkout's venv, dist/ or caches."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    for name in listed.stdout.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def as_written(command: str) -> list[str]:
    """A README line as argv, `python3` being this venv's interpreter (the README's activated
    venv) and the trailing comment dropped."""
    words = command.split("#", 1)[0].split()
    return [sys.executable if word == "python3" else word for word in words]


def loopback_only() -> list[str]:
    """A prefix that runs a command in a new network namespace with only `lo` up, or [] where
    the kernel or our privileges do not allow one."""
    unshare = shutil.which("unshare")
    ip = shutil.which("ip", path="/usr/sbin:/sbin:/usr/bin:/bin")
    if unshare is None or ip is None:
        return []
    prefix = [unshare, "--net", "--", "/bin/sh", "-c", f'{ip} link set lo up && exec "$@"', "sh"]
    probe = subprocess.run([*prefix, "/bin/true"], capture_output=True, timeout=30)
    return prefix if probe.returncode == 0 else []


def in_namespace_of(pid: int) -> list[str]:
    """A prefix that runs a command in the network namespace of process `pid`."""
    return ["nsenter", f"--net=/proc/{pid}/ns/net", "--"]


def box_env(home: Path, **extra: str) -> dict[str, str]:
    """`env -i PATH=/usr/bin:/bin HOME=…`: nothing of this machine's environment."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), **extra}


def run_pex(
    pex: Path,
    args: Sequence[str],
    *,
    home: Path,
    cwd: Path,
    prefix: Sequence[str] = (),
    timeout: float = 120,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    options: Sequence[str] = ("-I",),
) -> subprocess.CompletedProcess[str]:
    argv = [
        *prefix,
        "env",
        "-i",
        *(f"{k}={v}" for k, v in (env or box_env(home)).items()),
        real_python(),
        *options,
        str(pex),
        *args,
    ]
    return subprocess.run(
        argv,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
    )
