"""SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`).

One run per file, named by `automationDetails.id` (the code-scanning category). Rules are stable
per finding category, and per analyzer for vet (`crossvet/overflow`, `crossvet/vet/printf`), so
alerts keep their identity from run to run. URIs are relative to the repository root (with
`%SRCROOT%` as their base), and `partialFingerprints` carry the finding id, which has no line
number in it, so an alert survives unrelated edits above it. Code scanning wants a location for
every result: a finding with no position in the module is reported on the module's go.mod.
"""

from __future__ import annotations

import posixpath
from typing import Any

from reports.aggregate import CATEGORY_TITLES, Finding
from reports.paths import repo_path
from reports.results import Results

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "crossvetFinding/v1"

_HELP = {
    "compile": "The package does not compile for the targets listed in the result.",
    "undefined": "A name is declared only for some targets (build constraints or file names).",
    "overflow": "A constant does not fit in int, uint or uintptr on 32-bit targets.",
    "narrowing": "A conversion to int may truncate on 32-bit targets.",
    "other": "The go command reported a problem that crossvet could not classify.",
}


def rule_id(f: Finding) -> str:
    if f.category == "vet" and f.analyzer:
        return f"crossvet/vet/{f.analyzer}"
    return f"crossvet/{f.category}"


def _rule(f: Finding) -> dict[str, Any]:
    if f.category == "vet" and f.analyzer:
        short = f"go vet: {f.analyzer}"
        help_text = f"The `{f.analyzer}` analyzer of go vet reported a problem."
    else:
        short = CATEGORY_TITLES.get(f.category, f.category)
        help_text = _HELP.get(f.category, short)
    return {
        "id": rule_id(f),
        "name": rule_id(f).replace("/", "_"),
        "shortDescription": {"text": short},
        "fullDescription": {"text": help_text},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": "error" if f.severity == "error" else "warning"},
        "properties": {"tags": ["go", "portability", f.category], "precision": "high",
                       "problem.severity": "error" if f.severity == "error" else "warning"},
    }


def _location(f: Finding, prefix: str) -> dict[str, Any]:
    uri = repo_path(f.file, prefix)
    region: dict[str, int] = {"startLine": 1}
    if uri and f.line:
        region = {"startLine": f.line}
        if f.col:
            region["startColumn"] = f.col
    if not uri:
        uri = posixpath.join(prefix, "go.mod") if prefix else "go.mod"
    return {"physicalLocation": {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                                 "region": region}}


def _message(f: Finding) -> str:
    verb = "Breaks on" if f.severity == "error" else "Reported on"
    text = f"{f.message}\n{verb}: {', '.join(f.targets)}."
    if f.explanation:
        text += f"\n{f.explanation}"
    return text


def render(results: Results, *, prefix: str = "", category: str = "") -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict; `category` defaults to crossvet[/module dir]."""
    rules: dict[str, dict[str, Any]] = {}
    for f in results.findings:
        rules.setdefault(rule_id(f), _rule(f))
    index = {rid: i for i, rid in enumerate(rules)}
    out = []
    for f in results.findings:
        out.append({
            "ruleId": rule_id(f),
            "ruleIndex": index[rule_id(f)],
            "level": "error" if f.severity == "error" else "warning",
            "message": {"text": _message(f)},
            "locations": [_location(f, prefix)],
            "partialFingerprints": {FINGERPRINT_KEY: f.id},
            "properties": {"targets": list(f.targets), "checks": list(f.checks),
                           "category": f.category},
        })
    cat = category or ("crossvet" + (f"/{prefix}" if prefix else ""))
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "crossvet", "version": results.tool_version or "0",
                            "semanticVersion": results.tool_version or "0",
                            "rules": list(rules.values())}},
        "automationDetails": {"id": f"{cat}/"},
        "originalUriBaseIds": {"%SRCROOT%": {"description": {
            "text": "The repository root (GITHUB_WORKSPACE)."}}},
        "columnKind": "unicodeCodePoints",
        "results": out,
        "properties": {"module": results.module, "go": results.go,
                       "targets": list(results.target_ids), "checks": list(results.checks)},
    }
    broken = [f"{t.id} {c.check}: {c.error}" for t in results.targets for c in t.checks
              if c.error]
    run["invocations"] = [{
        "executionSuccessful": not broken and not results.interrupted,
        "toolExecutionNotifications": [{"level": "error", "message": {"text": b}}
                                       for b in broken],
    }]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
