"""Capture real go output for the parser corpus: `python tests/corpus/capture.py GO [GO...]`.

Runs each fixture module under tests/fixtures/parse/ (copied to a temporary directory, so the
paths go prints do not depend on where the repository lives) with the commands crossvet runs,
and writes one JSON file per (go version, fixture, target, command) to tests/corpus/<version>/.
The `spaces` fixture also gets a file whose name holds a newline, created here in the copy only
(git and some tools choke on such a name, so it is never committed).

The expected diagnostics and context lines live beside each capture in `*.expected.json`;
this script never writes them: after a recapture, review the parser's output and update them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures" / "parse"
MODULE_DIR = "/tmp/crossvet-corpus/mod"  # where every fixture is copied before running go
NEWLINE_FILE = "k\n::warning::pwned.go"
NEWLINE_SOURCE = "package spaces\n\nvar K int = 1 << 40\n"

# fixture -> (targets, extra environment)
PLAN: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "xtestfail": (("linux/amd64",), {}),
    "toomany": (("linux/amd64",), {}),
    "redecl": (("linux/amd64",), {}),
    "havewant": (("linux/amd64",), {}),
    "syntax": (("linux/amd64",), {}),
    "missingdep": (("linux/amd64",), {"GOFLAGS": "-mod=mod"}),
    "undef": (("linux/amd64", "windows/386"), {}),
    "spaces": (("linux/386",), {}),
}


def commands(version: tuple[int, int]) -> dict[str, list[str]]:
    cmds = {
        "vet-json": ["vet", "-json", "./..."],
        "vet-text": ["vet", "./..."],
        "build-text": ["build", "-gcflags=-e", "-o", "/dev/null", "./..."],
        "build-text-limit": ["build", "-o", "/dev/null", "./..."],  # no -e: "too many errors"
    }
    if version >= (1, 24):
        cmds["build-json"] = ["build", "-gcflags=-e", "-o", "/dev/null", "-json", "./..."]
    return cmds


def go_version(go: str) -> str:
    out = subprocess.run([go, "env", "GOVERSION"], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def main(gos: list[str]) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GO")}
    base.update(GOPROXY="off", GOTOOLCHAIN="local", GOFLAGS="", CGO_ENABLED="0",
                GOCACHE=os.environ.get("GOCACHE",
                                       str(Path.home() / ".cache/crossvet-tests/go-build")))
    for go in gos:
        version = go_version(go)
        major, minor = (int(x) for x in version.removeprefix("go").split(".")[:2])
        outdir = HERE / f"go{major}.{minor}"
        outdir.mkdir(exist_ok=True)
        for fixture, (targets, extra) in PLAN.items():
            shutil.rmtree(MODULE_DIR, ignore_errors=True)
            shutil.copytree(FIXTURES / fixture, MODULE_DIR)
            if fixture == "spaces":
                Path(MODULE_DIR, NEWLINE_FILE).write_text(NEWLINE_SOURCE)
            with tempfile.TemporaryDirectory() as gopath:
                for target in targets:
                    goos, goarch = target.split("/")
                    env = {**base, "GOOS": goos, "GOARCH": goarch, "GOPATH": gopath, **extra}
                    for mode, args in commands((major, minor)).items():
                        if mode == "build-text-limit" and fixture != "toomany":
                            continue
                        res = subprocess.run([go, *args], cwd=MODULE_DIR, env=env,
                                             capture_output=True, text=True, check=False)
                        record = {"go": version, "fixture": fixture, "target": target,
                                  "mode": mode, "args": args, "module_dir": MODULE_DIR,
                                  "env": extra, "exit_code": res.returncode,
                                  "stdout": res.stdout, "stderr": res.stderr}
                        name = f"{fixture}.{goos}-{goarch}.{mode}.json"
                        (outdir / name).write_text(json.dumps(record, indent=1) + "\n")
                        print(version, name, res.returncode, file=sys.stderr)
        shutil.rmtree(MODULE_DIR, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
