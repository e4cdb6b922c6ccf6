"""Build `dist/skipup-campaigns.pex`: the whole tool in one file that runs with a machine's own
python3 (3.11 or newer), nothing installed, for jump boxes (README: "On a jump box").

    python3 tools/build_pex.py         # CPython 3.11-3.13, x86_64 + aarch64 (fetches wheels)
    python3 tools/build_pex.py --here  # this interpreter's platform, from this venv (offline)

Run it from a virtual environment with `pip install '.[build]'` (pex, hatchling, packaging).
The project's wheel is built here without build isolation; the dependencies come from PyPI as
wheels only (every platform; `--no-build`, so nothing is compiled), or with `--here` from the
packages installed in the running venv. The file is then given the PEX_ROOT guard
(tools/pex_root_guard.py) and, for the multi-platform build, checked to hold pydantic-core for
every target.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUARD = Path(__file__).with_name("pex_root_guard.py")
DEFAULT_OUTPUT = ROOT / "dist" / "skipup-campaigns.pex"
PYTHONS = ((3, 11), (3, 12), (3, 13))
ARCHES = ("x86_64", "aarch64")
GLIBC_MINOR = 17
"""manylinux2014 (glibc 2.17): every dependency, cryptography included, has wheels for it."""
SHEBANG = "/usr/bin/env python3"
GUARD_MARK = "# skipup-campaigns: PEX_ROOT guard"


def manylinux_platforms(arch: str) -> list[str]:
    """The platform tags a manylinux2014 machine of `arch` accepts, most specific first."""
    tags = [f"manylinux_2_{minor}_{arch}" for minor in range(GLIBC_MINOR, 4, -1)]
    aliases = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
    for minor, alias in aliases.items():
        if arch == "x86_64" or minor == 17:  # 2010 and 1 were x86 only
            tags.insert(tags.index(f"manylinux_2_{minor}_{arch}") + 1, f"{alias}_{arch}")
    return tags


def complete_platform(python: tuple[int, int], arch: str) -> dict[str, object]:
    """A pex `--complete-platform`: the markers and wheel tags of CPython `python` on a
    manylinux2014 `arch` machine (an abbreviated `--platform` lacks `python_full_version`,
    which some dependencies' markers need)."""
    from packaging.tags import compatible_tags, cpython_tags

    platforms = manylinux_platforms(arch)
    abi = f"cp{python[0]}{python[1]}"
    tags = [
        *cpython_tags(python, abis=[abi], platforms=platforms),
        *compatible_tags(python, abi, platforms),
    ]
    version = f"{python[0]}.{python[1]}"
    return {
        "marker_environment": {
            "implementation_name": "cpython",
            "implementation_version": f"{version}.0",
            "os_name": "posix",
            "platform_machine": arch,
            "platform_python_implementation": "CPython",
            "platform_release": "",
            "platform_system": "Linux",
            "platform_version": "",
            "python_full_version": f"{version}.0",
            "python_version": version,
            "sys_platform": "linux",
        },
        "compatible_tags": [str(tag) for tag in tags],
    }


def build_wheel(source: Path, out: Path) -> Path:
    """The project's wheel, built from `source` with the hatchling installed here (offline)."""
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
            str(source),
        ],
        check=True,
    )
    (wheel,) = out.glob("skipup_campaigns-*.whl")
    return wheel


def pex_command(wheel: Path, output: Path, *, here: bool, work: Path) -> list[str]:
    # --venv: the first start makes a venv in PEX_ROOT and later starts exec straight into it
    # (about a quarter of the zipapp's start-up, which resolves every dependency each time).
    # --no-emit-warnings: pex's runtime notes (a long PEX_ROOT path, say) would only puzzle.
    command = [
        sys.executable,
        "-m",
        "pex",
        "--project",
        str(wheel),
        "-c",
        "skipup-campaigns",
        "--python-shebang",
        SHEBANG,
        "--no-build",
        "--venv",
        "--no-emit-warnings",
        "-o",
        str(output),
    ]
    if here:
        if sys.prefix == sys.base_prefix:
            raise SystemExit(
                "build_pex.py --here takes the dependencies from the running "
                "virtual environment: run it with that venv's python"
            )
        return [*command, "--venv-repository", sys.prefix]
    for python in PYTHONS:
        for arch in ARCHES:
            path = work / f"cp{python[0]}{python[1]}-{arch}.json"
            path.write_text(json.dumps(complete_platform(python, arch)))
            command += ["--complete-platform", str(path)]
    return command


def add_root_guard(pex: Path) -> None:
    """Rewrite the pex so that its `__main__.py` first runs tools/pex_root_guard.py (in its own
    namespace), before pex's boot reads PEX_ROOT. Everything else is copied as it was."""
    data = pex.read_bytes()
    head = data[: data.index(b"\n") + 1] if data.startswith(b"#!") else b""
    call = (
        f"{GUARD_MARK} (tools/pex_root_guard.py)\n"
        f"exec(compile({GUARD.read_text()!r}, 'pex_root_guard.py', 'exec'), "
        "{'__name__': '__pex_root_guard__'})\n"
    )
    temporary = pex.with_name(pex.name + ".tmp")
    with zipfile.ZipFile(pex) as source, temporary.open("wb") as out:
        out.write(head)
        with zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():
                content = source.read(info)
                if info.filename == "__main__.py":
                    content = _with_call(content.decode("utf-8"), call).encode("utf-8")
                target.writestr(info, content)
    temporary.chmod(0o755)
    os.replace(temporary, pex)


def _with_call(main: str, call: str) -> str:
    """`call` inserted after the shebang and any `from __future__` lines of pex's main."""
    lines = main.splitlines(keepends=True)
    at = 1 if lines and lines[0].startswith("#!") else 0
    for index, line in enumerate(lines):
        if line.startswith("from __future__ import"):
            at = index + 1
    result = "".join([*lines[:at], call, *lines[at:]])
    compile(result, "__main__.py", "exec")  # pex's main changed shape: fail the build here
    return result


def missing_pydantic_core(pex: Path) -> list[str]:
    """The targets (cp311-x86_64, ...) for which the pex holds no pydantic-core wheel."""
    names = zipfile.ZipFile(pex).namelist()
    wheels = {
        name.split("/")[1]
        for name in names
        if name.startswith(".deps/pydantic_core-") and name.count("/") >= 2
    }
    missing = []
    for python in PYTHONS:
        abi = f"cp{python[0]}{python[1]}"
        for arch in ARCHES:
            if not any(
                re.search(rf"-{abi}-{abi}-\S*manylinux\S*_{arch}\.", wheel) for wheel in wheels
            ):
                missing.append(f"{abi}-{arch}")
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--here",
        action="store_true",
        help="only this interpreter's platform, dependencies from this venv (no download)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="where to write the file (default dist/skipup-campaigns.pex)",
    )
    args = parser.parse_args(argv)
    output = args.output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="build-pex.") as scratch:
        work = Path(scratch)
        wheel = build_wheel(ROOT, work)
        subprocess.run(pex_command(wheel, output, here=args.here, work=work), check=True)
    add_root_guard(output)
    if not args.here:
        missing = missing_pydantic_core(output)
        if missing:
            print(
                f"build_pex: {output} has no pydantic-core for: {', '.join(missing)}",
                file=sys.stderr,
            )
            return 1
    size = output.stat().st_size / 1e6
    print(f"{output} ({size:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
