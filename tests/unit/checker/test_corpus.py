"""Every captured go output (tests/corpus/, Go 1.22 and 1.27) parses to the reviewed diagnostics,
and every line go printed is accounted for: context, part of a diagnostic, or a kept `other`."""

from __future__ import annotations

import json
import posixpath
from collections import Counter

import pytest

from checker import classify
from tests.unit.checker.corpus import Capture, captures, diag_json

CAPTURES = captures()
IDS = [f"{c.path.parent.name}/{c.path.name}" for c in CAPTURES]


def test_the_corpus_covers_both_go_versions_and_every_command() -> None:
    versions = {c.record["go"].rsplit(".", 1)[0] for c in CAPTURES}
    assert {"go1.22", "go1.27"} <= versions
    assert {c.mode for c in CAPTURES} >= {"vet-json", "vet-text", "build-text", "build-json",
                                         "build-text-limit"}
    assert all(c.expected_path.exists() for c in CAPTURES), "a capture without expectations"


@pytest.mark.parametrize("capture", CAPTURES, ids=IDS)
def test_every_line_is_accounted_for(capture: Capture) -> None:
    pieces = capture.pieces()
    seen = [line.rstrip() for p in pieces for line in p.lines if line.strip()]
    assert Counter(seen) == Counter(capture.units())
    for p in pieces:
        if p.is_context:
            # context is a header, a go: progress line, `too many errors`, or an empty vet result
            assert all(classify.is_context(ln) or ln.endswith("too many errors")
                       or ln in {"{}"} or '"Action":"build-fail"' in ln for ln in p.lines), p
        elif not p.lines[0].startswith("{"):  # text: each line's words are in the diagnostic
            (d,) = p.diagnostics
            joined = "\n".join(p.lines)
            assert d.message.split("\n")[0] in joined, (p, d)
            assert all(ln.strip() in d.message for ln in p.lines if ln[0].isspace()), (p, d)
            if d.category == "other":
                assert d.message.split("\n")[0] == p.lines[0].strip()
            else:
                assert f"{posixpath.basename(d.file)}:{d.line}:" in joined, (p, d)


@pytest.mark.parametrize("capture", CAPTURES, ids=IDS)
def test_diagnostics_are_the_reviewed_ones(capture: Capture) -> None:
    expected = json.loads(capture.expected_path.read_text())
    pieces = capture.pieces()
    assert [diag_json(d) for p in pieces for d in p.diagnostics] == expected["diagnostics"]
    assert [ln for p in pieces if p.is_context for ln in p.lines] == expected["context"]


@pytest.mark.parametrize("capture", CAPTURES, ids=IDS)
def test_no_header_or_progress_line_becomes_a_finding(capture: Capture) -> None:
    for p in capture.pieces():
        for d in p.diagnostics:
            assert not d.message.startswith(("# ", "go: finding", "go: downloading")), d
            assert "too many errors" not in d.message, d
            assert d.category != "other", d  # every corpus shape is understood
