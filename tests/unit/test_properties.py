"""Properties of every parser crossvet feeds untrusted text to, checked with hypothesis on
arbitrary (and go-shaped) input: go build / vet output (checker/parse.py), results files
(reports/results.py, reports/schema.py) and config files (matrix/config.py, crossvet/pipeline.py).

- nothing raises but the documented error (UsageError / ConfigError);
- every line of go's output is kept: context or part of a diagnostic, never dropped;
- a results file goes through `crossvet report --json` unchanged.

Examples are bounded (sizes and counts) so the whole file runs in seconds.
"""

from __future__ import annotations

import io
import json
import string
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from checker import parse
from checker.model import CATEGORIES, CheckResult, Diagnostic, status_of
from crossvet import cli, scope
from matrix import config
from matrix.errors import ConfigError, UsageError
from reports.results import Results, TargetResult, from_json, from_text, to_json, to_text

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
W = parse.Where(target="linux/386", check="build", module_dir="/src/mod")

# ---- go's output ----------------------------------------------------------------------------

_NAME = st.text(alphabet=st.sampled_from("ab日 %,:|`<>\n\r\x0b\x85\u2028*[]()./"), max_size=8)
_NUM = st.one_of(st.integers(0, 999), st.integers(10**9, 10**12))
_GO_LINE = st.one_of(
    st.text(max_size=40),
    st.builds(lambda f, ln, c, m: f"./{f}.go:{ln}:{c}: {m}", _NAME, _NUM, _NUM,
              st.text(max_size=20)),
    st.builds(lambda f, ln, m: f"vet: {f}.go:{ln}: {m}", _NAME, _NUM, st.text(max_size=20)),
    st.builds(lambda p: f"# {p}", st.text(max_size=12)),
    st.builds(lambda m: f"\t{m}", st.text(max_size=20)),
    st.sampled_from(["too many errors", "{", "}", "{}", "go: downloading x v1.0.0", "",
                     '\t"posn": "a.go:1:2",', '{"a": {"printf": 5}}']),
)
_GO_TEXT = st.lists(_GO_LINE, max_size=12).map("\n".join)


def _kept(lines: list[str]) -> list[str]:
    return [ln.rstrip() for ln in lines if ln.strip()]


def _piece_lines(pieces: list[parse.Piece]) -> list[str]:
    return _kept([ln for p in pieces for ln in p.lines])


def _sane(pieces: list[parse.Piece]) -> None:
    for d in (d for p in pieces for d in p.diagnostics):
        assert d.category in CATEGORIES, d
        assert d.line >= 0 and d.col >= 0
        assert d.severity in ("error", "warning")


@FAST
@given(_GO_TEXT)
@example("./a.go:" + "9" * 5000 + ":1: x")
@example("./k\n::warning::x.go:3:5: msg")
@example("./a\u2028b.go:3:5: msg\n./c\x85d.go:1:1: other")
def test_text_output_every_line_is_kept_or_classified(text: str) -> None:
    pieces = parse.scan_text(text, W)
    assert _piece_lines(pieces) == _kept(parse.lines_of(text))
    _sane(pieces)


def test_a_file_name_with_a_unicode_line_separator_is_one_diagnostic() -> None:
    (d,) = parse.parse_text("./a\u2028b.go:3:5: undefined: x\n", W)
    assert (d.file, d.line, d.col, d.message) == ("a\u2028b.go", 3, 5, "undefined: x")


@FAST
@given(_GO_TEXT)
@example('{\n"a": {"printf": 5}\n}')
@example('{\n"a": {"printf": [{"posn": "x.go:' + "1" * 5000 + '", "message": "m"}]}\n}')
def test_vet_output_every_line_is_kept_or_classified(text: str) -> None:
    pieces = parse.scan_vet(text, W)
    assert _piece_lines(pieces) == _kept(parse.lines_of(text))
    _sane(pieces)


_EVENT = st.one_of(
    st.builds(lambda p, line: json.dumps({"ImportPath": p, "Action": "build-output",
                                          "Output": line + "\n"}),
              st.sampled_from(["m", "m/p", "m [m.test]"]),
              _GO_LINE.filter(lambda s: "\n" not in s)),
    st.builds(lambda p: json.dumps({"ImportPath": p, "Action": "build-fail"}), st.text(max_size=5)),
    st.just('{"Action": "build-output"}'),
    st.just("{not json"),
    _GO_LINE.filter(lambda s: "\n" not in s),
)


@FAST
@given(st.lists(_EVENT, max_size=12))
def test_build_json_output_every_line_is_kept_or_classified(events: list[str]) -> None:
    pieces = parse.scan_build_json("\n".join(events), W)
    got = Counter(_piece_lines(pieces))
    want: Counter[str] = Counter()
    for line in events:
        try:
            event = json.loads(line) if line.startswith("{") else None
        except json.JSONDecodeError:
            event = None
        if isinstance(event, dict) and event.get("Action") == "build-output":
            want.update(_kept(parse.lines_of(str(event.get("Output", "")))))
        else:
            want.update(_kept(parse.lines_of(line)))
    assert got == want
    _sane(pieces)


# ---- results files --------------------------------------------------------------------------

_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=8)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


@FAST
@given(st.one_of(st.text(max_size=200), _JSON.map(json.dumps)))
@example('{"schema": 1, "checks": [], "targets": [], "findings": [{"line": "x"}]}')
@example("[" * 50_000)
def test_any_text_is_results_or_a_usage_error(text: str) -> None:
    try:
        results = from_text(text, source="r.json")
    except UsageError as exc:
        assert str(exc).startswith("r.json: ")
    else:
        assert isinstance(results, Results)


_TARGETS = ("linux/386", "linux/amd64", "windows/386")
_DIAG = st.builds(
    lambda f, ln, c, m, cat, sev, pkg, an: (f, ln, c, m, cat, sev, pkg, an),
    st.text(max_size=10), st.integers(0, 10**6), st.integers(0, 999), st.text(max_size=30),
    st.sampled_from(CATEGORIES), st.sampled_from(("error", "warning")), st.text(max_size=6),
    st.sampled_from(("", "printf", "shift")))
_CHECK = st.tuples(st.sampled_from(("vet", "build", "typecheck")), st.lists(_DIAG, max_size=3),
                   st.floats(0, 1000, allow_nan=False), st.one_of(st.none(), st.integers(-1, 3)),
                   st.sampled_from(("", "timed out", "go crashed: ::error::x")))


@st.composite
def results(draw: st.DrawFn) -> Results:
    ids = draw(st.lists(st.sampled_from(_TARGETS), unique=True, max_size=3))
    targets = []
    for tid in ids:
        checks = []
        for name, diags, duration, code, error in draw(
                st.lists(_CHECK, max_size=2, unique_by=lambda c: c[0])):
            ds = tuple(Diagnostic(target=tid, check=name, file=f, line=ln, col=c, message=m,
                                  category=cat, severity=sev, package=pkg, analyzer=an)
                       for f, ln, c, m, cat, sev, pkg, an in diags)
            checks.append(CheckResult(target=tid, check=name, status=status_of(ds, error),
                                      diagnostics=ds, duration=round(duration, 3),
                                      exit_code=code, error=error))
        goos, goarch = tid.split("/")
        targets.append(TargetResult(id=tid, goos=goos, goarch=goarch, tags=tuple(draw(
            st.lists(st.sampled_from(("netgo", "purego")), unique=True, max_size=2))),
            checks=tuple(checks)))
    return Results(targets=tuple(targets), checks=("vet", "build"), go="go1.27.3",
                   module=draw(st.text(max_size=10)), interrupted=draw(st.booleans()),
                   tool_version="1.0")


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, (*prefix, i)))
    return out


@FAST
@given(results(), st.data())
def test_a_results_file_with_any_field_replaced_is_results_or_names_the_field(
        res: Results, data: st.DataObject) -> None:
    doc = to_json(res)
    path = data.draw(st.sampled_from(_paths(doc)[1:]))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = data.draw(_JSON)
    try:
        from_json(doc, source="r.json")
    except UsageError as exc:
        assert str(exc).startswith("r.json: ")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(results())
def test_results_round_trip_through_report_unchanged(res: Results) -> None:
    text = to_text(res)
    assert to_text(from_text(text)) == text
    with tempfile.TemporaryDirectory() as d:
        src, out = Path(d) / "in.json", Path(d) / "out.json"
        src.write_text(text, encoding="utf-8")
        code = cli.run(["report", str(src), "--json", str(out), "--module-dir", d], {},
                       io.StringIO(), io.StringIO())
        assert code in (0, 1, 3, 130)  # findings, a run error, an interrupted run decide
        assert out.read_text(encoding="utf-8") == text


# ---- config files -----------------------------------------------------------------------------

@FAST
@given(st.text(max_size=200))
@example("targets: 2001-13-01\n")
@example("jobs: !!timestamp x\n")
@example("timeout: !!int x\n")
@example("a: " + "[" * 2000)
def test_any_config_text_is_settings_or_a_config_error(text: str) -> None:
    try:
        values = config.parse(text, source=".crossvet.yaml")
    except ConfigError as exc:
        assert str(exc).startswith(".crossvet.yaml")
    else:
        assert set(values) <= set(config.KEYS)


_KEY = st.one_of(st.sampled_from(sorted(config.KEYS)), st.text(string.ascii_lowercase, max_size=6))


@FAST
@given(st.dictionaries(_KEY, _JSON, max_size=4))
def test_any_yaml_mapping_is_settings_or_a_config_error(doc: dict[str, Any]) -> None:
    text = yaml.safe_dump(doc)
    try:
        config.parse(text, source="c.yaml")
    except ConfigError as exc:
        assert str(exc).startswith("c.yaml")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200))
def test_any_config_bytes_are_text_or_a_config_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / ".crossvet.yaml"
        path.write_bytes(data)
        try:
            scope.resolve_options({"path": d}, {}, 2)
        except ConfigError as exc:
            assert ".crossvet.yaml" in str(exc)
