"""tools/build_pex.py's parts that need no build: the target platforms it describes to pex,
the guard it adds to the file, and the check that every target has its pydantic-core."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

from tests.single_file.jump_box import ROOT


def load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_pex", ROOT / "tools" / "build_pex.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = load_builder()


def test_targets_are_three_cpythons_on_two_manylinux_machines() -> None:
    platform = build.complete_platform((3, 12), "aarch64")
    markers = platform["marker_environment"]
    assert markers["python_full_version"].startswith("3.12.")
    assert markers["platform_machine"] == "aarch64" and markers["sys_platform"] == "linux"
    tags = platform["compatible_tags"]
    assert tags[0] == "cp312-cp312-manylinux_2_17_aarch64"
    assert "cp312-cp312-manylinux2014_aarch64" in tags
    assert "cp311-abi3-manylinux2014_aarch64" in tags  # cryptography's wheels
    assert "py3-none-any" in tags
    assert not any("x86_64" in tag or "manylinux2010" in tag for tag in tags)
    assert (
        "cp311-cp311-manylinux1_x86_64"
        in build.complete_platform((3, 11), "x86_64")["compatible_tags"]
    )


def fake_pex(path: Path, wheels: list[str]) -> Path:
    with path.open("wb") as out:
        out.write(b"#!/usr/bin/env python3\n")
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr(
                "__main__.py",
                "#!/usr/bin/env python3\nimport sys\nprint('pex main', sys.argv[1:])\n",
            )
            for wheel in wheels:
                archive.writestr(f".deps/{wheel}/pydantic_core/__init__.py", "")
    return path


def test_every_targets_pydantic_core_is_checked(tmp_path: Path) -> None:
    every = [
        f"pydantic_core-2.50.5-cp3{minor}-cp3{minor}-manylinux_2_17_{arch}.manylinux2014_{arch}.whl"
        for minor in (11, 12, 13)
        for arch in build.ARCHES
    ]
    assert build.missing_pydantic_core(fake_pex(tmp_path / "all.pex", every)) == []
    some = [wheel for wheel in every if "cp313" not in wheel or "x86_64" in wheel]
    assert build.missing_pydantic_core(fake_pex(tmp_path / "some.pex", some)) == ["cp313-aarch64"]


def test_the_guard_runs_before_pex_and_refuses_an_unsafe_root(tmp_path: Path) -> None:
    pex = fake_pex(tmp_path / "x.pex", [])
    build.add_root_guard(pex)
    assert pex.read_bytes().startswith(b"#!/usr/bin/env python3\n")
    main = zipfile.ZipFile(pex).read("__main__.py").decode()
    assert main.startswith("#!/usr/bin/env python3\n" + build.GUARD_MARK)
    private = tmp_path / "private"
    ran = subprocess.run(
        [sys.executable, "-I", str(pex), "a"],
        capture_output=True,
        text=True,
        env={"PEX_ROOT": str(private)},
        timeout=60,
    )
    assert ran.stdout == "pex main ['a']\n", ran.stderr
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    refused = subprocess.run(
        [sys.executable, "-I", str(pex)],
        capture_output=True,
        text=True,
        env={"PEX_ROOT": str(shared)},
        timeout=60,
    )
    assert refused.returncode == 1 and refused.stdout == ""
    assert "other users can write" in refused.stderr


def test_under_python_S_the_file_starts_again_with_site(tmp_path: Path) -> None:
    """pex hands -S on to the venv it runs the program in, where without site the program is
    not importable (a traceback, found in a user test): the guard restarts without -S."""
    pex = tmp_path / "x.pex"
    with pex.open("wb") as out:
        out.write(b"#!/usr/bin/env python3\n")
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr(
                "__main__.py",
                "import sys\nprint(sys.flags.no_site, sys.flags.isolated, sys.argv[1:])\n",
            )
    build.add_root_guard(pex)
    for options in (["-I", "-S"], ["-IS"], ["-S", "-X", "utf8", "-I"]):
        ran = subprocess.run(
            [sys.executable, *options, str(pex), "--version"],
            capture_output=True,
            text=True,
            env={"PEX_ROOT": str(tmp_path / "root")},
            timeout=60,
        )
        assert ran.stdout == "0 1 ['--version']\n", (options, ran.stderr)
