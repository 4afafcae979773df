"""Read the captured go outputs under tests/corpus/ and run them through the parsers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker import parse
from checker.model import Diagnostic

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@dataclass(frozen=True)
class Capture:
    path: Path
    record: dict[str, Any]

    @property
    def mode(self) -> str:
        return str(self.record["mode"])

    @property
    def expected_path(self) -> Path:
        return self.path.with_name(self.path.name.removesuffix(".json") + ".expected.json")

    def where(self) -> parse.Where:
        check = "vet" if self.mode.startswith("vet") else "build"
        return parse.Where(target=str(self.record["target"]), check=check,
                           module_dir=str(self.record["module_dir"]))

    def pieces(self) -> list[parse.Piece]:
        """What crossvet's job runner feeds each parser for this command."""
        out, err = str(self.record["stdout"]), str(self.record["stderr"])
        where = self.where()
        if self.mode.startswith("vet"):
            return parse.scan_vet(out + "\n" + err, where)
        if self.mode == "build-json":
            return parse.scan_build_json(out, where) + parse.scan_text(err, where)
        return parse.scan_text(out, where) + parse.scan_text(err, where)

    def units(self) -> list[str]:
        """Every non-blank line go printed, as the parsers see it: the Output of a build -json
        event (split into lines), any other event line, or a line of text."""
        out, err = str(self.record["stdout"]), str(self.record["stderr"])
        lines: list[str] = []
        for line in out.splitlines():
            if self.mode == "build-json" and line.startswith("{"):
                event = json.loads(line)
                if event.get("Action") == "build-output":
                    lines.extend(str(event["Output"]).splitlines())
                    continue
            lines.append(line)
        lines.extend(err.splitlines())
        return [ln.rstrip() for ln in lines if ln.strip()]


def captures() -> list[Capture]:
    return [Capture(p, json.loads(p.read_text()))
            for p in sorted(CORPUS.glob("go1.*/*.json")) if not p.name.endswith(".expected.json")]


def diag_json(d: Diagnostic) -> dict[str, Any]:
    return {"file": d.file, "line": d.line, "col": d.col, "category": d.category,
            "package": d.package, "analyzer": d.analyzer, "message": d.message}
