"""SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`).

One run per file, named by `automationDetails.id` (the code-scanning category). Rules are stable
per finding category, and per analyzer for vet (`crossvet/overflow`, `crossvet/vet/printf`), so
alerts keep their identity from run to run. URIs are relative to the repository root (with
`%SRCROOT%` as their base) and percent-encoded per RFC 3986, and `partialFingerprints` carry
the finding's fingerprint (reports/fingerprint.py), which has no line number in it, so an alert
survives unrelated edits above it.
Code scanning wants a location for every result: a finding with no position in the module is
reported on the module's go.mod.

Columns: Go reports 1-based *byte* columns; the run declares `columnKind: utf16CodeUnits` (what
GitHub's own SARIF example declares, and the unit of the JavaScript that shows the alert), so each
column is converted with the finding's source line, which the caller passes in as a function
(rendering does no I/O). When that line cannot be had, or the byte column does not fall on a
character boundary of it, the column is left out (the alert covers the whole line) rather than
given in the wrong unit.

Limits: code scanning rejects an upload with more than 25,000 results in a run or over 10 MB
(the file gzip-compressed, then base64-encoded: what upload-sarif sends), and shows the first
5,000 results of a run, errors first ("SARIF support for code scanning", "SARIF results exceed
limits", "SARIF file is too large" in GitHub's docs). Past either limit, errors are kept before
warnings and suppressed findings, the rest are left out, and the run says so: a warning
notification and the property `resultsLeftOut` (every finding stays in the results JSON). Its
other limits are never reached: one run per file, one location per result, three tags per rule,
no tool extensions or thread flows, a rule per category or analyzer of the results kept.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from matrix import categories
from reports import escape
from reports.aggregate import Finding, plain_url
from reports.paths import placed, repo_path
from reports.results import Results
from reports.schema import POSITION_MAX

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "crossvetFinding/v2"  # v2: reports/fingerprint.py, edit-proof
COLUMN_KIND = "utf16CodeUnits"
MAX_RESULTS = 25_000  # results per run that code scanning accepts
SHOWN_RESULTS = 5_000  # results per run that code scanning stores and shows, errors first
MAX_UPLOAD = 10_000_000  # bytes of the upload: the log gzip-compressed, then base64-encoded

# (file relative to the module root, 1-based line) -> that line's bytes, or None if unreadable
SourceLine = Callable[[str, int], bytes | None]

def rule_id(f: Finding) -> str:
    if categories.with_analyzer(f.category) and f.analyzer:
        return f"crossvet/{f.category}/{f.analyzer}"
    return f"crossvet/{f.category}"


def _rule(f: Finding) -> dict[str, Any]:
    if f.category == "vet" and f.analyzer:
        short = f"go vet: {f.analyzer}"
        help_text = f"The {f.analyzer} analyzer of go vet reported a problem."
        help_md = f"The {escape.code(f.analyzer)} analyzer of go vet reported a problem."
    elif f.category == "lint" and f.analyzer:
        short = f"analyzer {f.analyzer}"
        help_text = f"The {f.analyzer} analyzer (analyzers:) reported a problem." + (
            f" See {f.url}" if plain_url(f.url) else "")
        help_md = f"The {escape.code(f.analyzer)} analyzer (`analyzers:`) reported a problem." + (
            f" See {escape.text(f.url)}" if plain_url(f.url) else "")
    else:
        category = categories.BY_NAME.get(f.category)
        short = category.title if category else f.category
        help_text = (category.help if category else "") or short
        help_md = escape.text(help_text)
    return {
        "id": rule_id(f),
        "name": rule_id(f).replace("/", "_"),
        "shortDescription": {"text": short},
        "fullDescription": {"text": help_text},
        "help": {"text": help_text, "markdown": help_md},
        **({"helpUri": f.url} if f.url and plain_url(f.url) else {}),
        "defaultConfiguration": {"level": "error" if f.severity == "error" else "warning"},
        "properties": {"tags": ["go", "portability", f.category], "precision": "high",
                       "problem.severity": "error" if f.severity == "error" else "warning"},
    }


def utf16_column(line: bytes, byte_col: int) -> int | None:
    """Go's 1-based byte column on `line` as a 1-based UTF-16 code-unit column; None when the
    column is past the line or not on a character boundary (the line is not what Go read)."""
    if byte_col < 1 or byte_col - 1 > len(line):
        return None
    try:
        before = line[:byte_col - 1].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return len(before.encode("utf-16-le")) // 2 + 1


def uri_of(path: str) -> str:
    """A relative path as an RFC 3986 URI reference: every byte outside the unreserved set and
    `/` percent-encoded (UTF-8), so `%`, spaces, backticks, `#` and `?` stay part of the path."""
    return quote(path, safe="/")


def _location(f: Finding, prefix: str, source_line: SourceLine | None) -> dict[str, Any]:
    path = repo_path(f.file, prefix)
    region: dict[str, int] = {"startLine": 1}
    if path and 1 <= f.line <= POSITION_MAX:  # a results file is checked; this is the last word
        region = {"startLine": f.line}
        line = source_line(f.file, f.line) if f.col and source_line else None
        col = utf16_column(line, f.col) if line is not None else None
        if col is not None:
            region["startColumn"] = col
    return {"physicalLocation": {"artifactLocation": {"uri": uri_of(placed(f.file, f.module,
                                                                              prefix)),
                                                      "uriBaseId": "%SRCROOT%"},
                                 "region": region}}


def _message(f: Finding) -> str:
    verb = "Breaks on" if f.severity == "error" else "Reported on"
    text = f"{f.message}\n{verb}: {', '.join(f.targets)}."
    if f.explanation:
        text += f"\n{f.explanation}"
    return text


def upload_size(log: dict[str, Any]) -> int:
    """The bytes upload-sarif sends for `log`: compact JSON, gzip-compressed, base64-encoded."""
    text = json.dumps(log, separators=(",", ":"), ensure_ascii=False).encode()
    return len(base64.b64encode(gzip.compress(text, compresslevel=6, mtime=0)))


def _priority(f: Finding) -> tuple[bool, bool]:
    """Which findings a capped file keeps first: errors, then warnings, then suppressed ones."""
    return (f.suppressed is not None, f.severity != "error")


def render(results: Results, *, prefix: str = "", category: str = "",
           source_line: SourceLine | None = None, max_results: int = MAX_RESULTS,
           max_upload: int = MAX_UPLOAD) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict; `category` defaults to crossvet[/module dir].
    `source_line` gives a finding's source line for its column (none: no columns). At most
    `max_results` results and `max_upload` bytes of upload (upload_size); past either, the
    lowest-priority findings are left out, and the run says how many."""
    findings = results.findings
    ranked = sorted(range(len(findings)), key=lambda i: _priority(findings[i]))
    keep = min(len(findings), max_results)
    while True:
        kept = [findings[i] for i in sorted(ranked[:keep])]
        note = "" if keep == len(findings) else _left_out_note(
            len(findings) - keep, len(findings), max_results, max_upload)
        log = _log(results, kept, note=note, prefix=prefix, category=category,
                   source_line=source_line)
        size = upload_size(log)
        if size <= max_upload or keep == 0:
            return log
        keep = min(keep - 1, int(keep * max_upload / size * 0.95))


def _left_out_note(left_out: int, total: int, max_results: int, max_upload: int) -> str:
    return (f"{left_out} of {total} findings are left out of this SARIF file: GitHub code "
            f"scanning accepts at most {max_results:,} results in a run and {max_upload:,} "
            f"bytes of upload (gzip, then base64), and shows {SHOWN_RESULTS:,}; errors were "
            "kept before warnings and suppressed findings. Every finding is in the results "
            "JSON.")


def _log(results: Results, findings: list[Finding], *, note: str, prefix: str,
         category: str, source_line: SourceLine | None) -> dict[str, Any]:
    rules: dict[str, dict[str, Any]] = {}
    for f in findings:
        rules.setdefault(rule_id(f), _rule(f))
    index = {rid: i for i, rid in enumerate(rules)}
    out = []
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": rule_id(f),
            "ruleIndex": index[rule_id(f)],
            "level": "error" if f.severity == "error" else "warning",
            "message": {"text": _message(f)},
            "locations": [_location(f, prefix, source_line)],
            "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
            "properties": {"targets": list(f.targets), "checks": list(f.checks),
                           "category": f.category,
                           **({"module": f.module} if f.module else {})},
        }
        if f.baseline:
            result["baselineState"] = "new" if f.baseline == "new" else "unchanged"
        if f.suppressed is not None:
            inline = re.search(r"\.go:\d+$", f.suppressed.by) is not None
            result["suppressions"] = [{"kind": "inSource" if inline else "external",
                                       "justification": f.suppressed.reason}]
        out.append(result)
    cat = category or ("crossvet" + (f"/{prefix}" if prefix else ""))
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "crossvet", "version": results.tool_version or "0",
                            "semanticVersion": results.tool_version or "0",
                            "rules": list(rules.values())}},
        "automationDetails": {"id": f"{cat}/"},
        "originalUriBaseIds": {"%SRCROOT%": {"description": {
            "text": "The repository root (GITHUB_WORKSPACE)."}}},
        "columnKind": COLUMN_KIND,
        "results": out,
        "properties": {"module": results.module, "go": results.go,
                       "targets": [t.name for t in results.targets], "checks": list(results.checks),
                       **({"modules": [{"dir": d, "path": p} for d, p in results.modules]}
                          if results.modules else {}),
                       **({"resultsLeftOut": len(results.findings) - len(findings)}
                          if note else {})},
    }
    broken = [*([results.error] if results.error else []),
              *(f"{t.name} {c.check}: {c.error}" for t in results.targets for c in t.checks
                if c.error)]
    notes = [{"level": "error", "message": {"text": b}} for b in broken]
    if note:
        notes.append({"level": "warning", "message": {"text": note}})
    run["invocations"] = [{
        "executionSuccessful": not broken and not results.interrupted,
        "toolExecutionNotifications": notes,
    }]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
