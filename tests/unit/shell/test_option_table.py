"""The one option table (matrix/config.OPTIONS): every CheckOptions field has a row, and every row
reaches what it declares: argparse (for each of its commands), the environment, the config
file, the init template, the GitHub Action (and action.yml), the docs' option tables and the key
of a cached --new-from-rev run."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from crossvet import action, cli, pipeline, scope
from crossvet.gitrev import Rev
from matrix import config
from matrix.config import BY_KEY, OPTIONS
from matrix.options import DERIVED, CheckOptions, resolve_check
from matrix.optiontable import Option, render_markdown
from reports.formats import FORMATS
from tests.conftest import ROOT

ROWS = [o for o in OPTIONS if o.sample or o.file_sample]
HEAD = {"check": ["check"], "baseline": ["baseline", "-o", "b.json"], "plan": ["plan"],
        "merge": ["merge", "r.json"], "report": ["report", "r.json"]}


def _ids(o: Option) -> str:
    return o.key


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A module directory that is also the working directory, so that a relative path means
    the same from a flag (the working directory) and from the file (the module)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_field_has_one_row_and_takes_its_default_from_it() -> None:
    fields = {f.name: f for f in dataclasses.fields(CheckOptions)}
    rows = {o.field: o for o in OPTIONS}
    assert len(rows) == len(OPTIONS)
    assert set(fields) == set(rows) | set(DERIVED)
    assert not set(rows) & set(DERIVED)
    for name, row in rows.items():
        if name != "module_dir":  # the one field without a default: PATH
            assert fields[name].default == row.default, name


def test_names_are_used_once() -> None:
    for names in ([o.key for o in OPTIONS], [o.variable for o in OPTIONS if o.variable],
                  [o.action_input for o in OPTIONS if o.action_input]):
        assert len(names) == len(set(names))
    flags = [f for o in OPTIONS for f in o.flag_names] + [f"--{f.name}" for f in FORMATS]
    assert len(flags) == len(set(flags))
    assert {o.key for o in OPTIONS if o.in_file} == set(config.KEYS)


def test_only_rows_without_a_sample_are_the_report_files() -> None:
    assert [o.key for o in OPTIONS if o not in ROWS] == ["outputs"]


def _resolved(flags: dict[str, Any], env: dict[str, str], text: str | None, o: Option,
              module: Path) -> Any:
    opts = resolve_check({**flags, "path": str(module)}, env, 4, config_text=text,
                         config_source=".crossvet.yaml")
    return getattr(opts, o.field)


def _from_flag(o: Option, command: str, module: Path) -> Any:
    argv = [*HEAD[command], *([o.flag_names[0]] if o.flag_value else
                              [o.flag_names[0], *o.sample.split(" ")])]
    args = cli.build_parser().parse_args(argv)
    return _resolved(vars(args), {}, None, o, module)


@pytest.mark.parametrize("o", [o for o in ROWS if o.key not in ("module_dir", "config")],
                         ids=_ids)
def test_every_row_reaches_its_flags_variable_and_key_with_the_same_value(
        o: Option, module: Path) -> None:
    default = _resolved({}, {}, None, o, module)
    found = {}
    for command in o.commands if o.flag_names else ():
        found[f"flag of {command}"] = _from_flag(o, command, module)
    if o.variable:
        found["variable"] = _resolved({}, {o.variable: o.sample}, None, o, module)
    if o.in_file:
        found["file"] = _resolved({}, {}, f"{o.key}: {o.file_value()}\n", o, module)
    assert found, "a row nobody can set"
    values = list(found.values())
    assert all(v == values[0] for v in values), found
    assert values[0] != default


def test_the_path_and_the_config_file(module: Path) -> None:
    for command in BY_KEY["module_dir"].commands:
        args = cli.build_parser().parse_args([*HEAD[command], "sub"])
        assert resolve_check(vars(args), {}, 1).module_dir == str(module / "sub")
    (module / "ci").mkdir()
    (module / "ci" / "crossvet.yaml").write_text("jobs: 3\n")
    option = BY_KEY["config"]
    for command in option.commands:
        args = cli.build_parser().parse_args([*HEAD[command], option.flag_names[0],
                                              option.sample])
        opts = scope.resolve_options(vars(args), {}, 1)
        assert (opts.jobs, opts.config_path) == (3, option.sample)
    opts = scope.resolve_options({"path": "."}, {option.variable: option.sample}, 1)
    assert (opts.jobs, opts.config_path) == (3, option.sample)


def _action_yml() -> tuple[dict[str, Any], dict[str, str]]:
    spec = yaml.safe_load((ROOT / "action.yml").read_text())
    run_env = next(s for s in spec["runs"]["steps"] if s.get("id") == "run")["env"]
    return spec, run_env


@pytest.mark.parametrize("o", [o for o in OPTIONS if o.action_input], ids=_ids)
def test_every_action_input_reaches_action_yml_and_the_check(o: Option, module: Path) -> None:
    spec, run_env = _action_yml()
    var = action.input_variable(o.action_input)
    assert o.action_input in spec["inputs"]
    # an empty input leaves the option to the config file and the table's default
    assert spec["inputs"][o.action_input]["default"] in ("", o.shown_default)
    assert run_env[var] == f"${{{{ inputs.{o.action_input} }}}}"
    argv = action.check_argv({var: o.sample}, "r.json")
    args = cli.build_parser().parse_args(argv)
    if o.key == "module_dir":
        assert argv[-2:] == ["--", o.sample] and args.path == o.sample
        return
    if o.key == "config":
        assert args.config == o.sample
        return
    assert _resolved(vars(args), {}, None, o, module) == _from_flag(o, "check", module)


def test_action_yml_has_no_input_the_tables_do_not_know() -> None:
    spec, run_env = _action_yml()
    known = {o.action_input for o in OPTIONS if o.action_input} | \
        {f.action_input for f in FORMATS if f.action_input} | set(action.ACTION_INPUTS)
    assert set(spec["inputs"]) == known
    passed = {k for k in run_env if k.startswith("INPUT_")}
    assert passed == {action.input_variable(i) for i in known - {"github-token", "go-version"}}


def test_the_init_template_names_every_key_and_changes_nothing(module: Path) -> None:
    assert config.parse(config.template(), source="t") == {}  # everything commented out
    plain = resolve_check({"path": str(module)}, {}, 4)
    with_file = resolve_check({"path": str(module)}, {}, 4, config_text=config.template(),
                              config_source=".crossvet.yaml")
    assert dataclasses.replace(with_file, config_path="") == plain
    # uncommented, each example is a valid value of its key
    text = re.sub(r"^# ([a-z_]+:.*|  .*)$", r"\1", config.template(), flags=re.M)
    values = config.parse(text, source="t")
    assert set(values) == set(config.KEYS)
    for key, located in values.items():
        o = BY_KEY[key]
        if o.sample:
            assert located.value == o.value(o.sample), key
    said = " ".join(line[2:] for line in config.template().splitlines() if line.startswith("# "))
    for o in OPTIONS:
        if o.in_file and o.variable:
            assert f"Env: {o.variable}." in said, o.key


DOC_TABLES = {  # docs file -> the group of its table (None: every option)
    "docs/planner.md": None,
    "docs/docker.md": "container runner (docs/docker.md)",
    "docs/typecheck.md": "type-check engine (docs/typecheck.md)",
}
_BLOCK = re.compile(r"(<!-- options: generated from matrix/config\.OPTIONS -->\n)(.*?)"
                    r"(<!-- options: end -->)", re.S)


@pytest.mark.parametrize("doc", sorted(DOC_TABLES))
def test_the_docs_option_tables_are_the_tables(doc: str) -> None:
    """CROSSVET_UPDATE_DOCS=1 rewrites them from the table."""
    path = ROOT / doc
    text = path.read_text()
    want = render_markdown(OPTIONS, group=DOC_TABLES[doc])
    assert _BLOCK.search(text), f"{doc} has no generated option table"
    if os.environ.get("CROSSVET_UPDATE_DOCS") == "1":
        path.write_text(_BLOCK.sub(lambda m: m.group(1) + want + m.group(3), text))
        text = path.read_text()
    match = _BLOCK.search(text)
    assert match is not None and match.group(2) == want


def test_every_option_that_can_change_findings_is_in_the_cached_base_runs_key() -> None:
    """An option is in the key of REV's cached run unless its row says it cannot change
    findings: after a run at the default narrowing level, --narrowing-level all must not reuse
    it (the stale base called an old finding new)."""
    base = resolve_check({"path": "/m"}, {}, 2)
    rev = Rev(name="HEAD~1", commit="0" * 40, root="/r", subdir=".")
    key = os.path.basename(pipeline._rev_cache_path(base, rev))
    for o in ROWS:
        if o.key in ("module_dir", "config"):
            continue
        flags = {o.key: o.flag_value or o.sample} if o.flag_names else {}
        env = {o.variable: o.sample} if o.variable and not flags else {}
        text = f"{o.key}: {o.file_value()}\n" if not flags and not env else None
        changed = resolve_check({"path": "/m", **flags}, env, 2, config_text=text,
                                config_source="c")
        assert getattr(changed, o.field) != getattr(base, o.field), o.key
        changed_key = os.path.basename(pipeline._rev_cache_path(changed, rev))
        assert (changed_key != key) == o.findings, o.key
    for key_field in ("vet", "narrowing_level", "narrowing_generated"):
        assert BY_KEY[key_field].findings


@pytest.mark.parametrize("option", [o for o in OPTIONS if o.choices], ids=lambda o: o.key)
def test_the_help_names_each_choice_once_over(option: Option) -> None:
    """Every choice is in the help; the list is added only when the help does not say them."""
    def named(text: str) -> bool:
        return all(re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text) for c in option.choices)
    assert named(option.full_help)
    if named(option.help):
        assert option.full_help == f"{option.help} (default: {option.shown_default})"
