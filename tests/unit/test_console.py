"""crossvet/console.py: the one place output is written; in GitHub Actions only crossvet's own
workflow commands can run."""

from __future__ import annotations

import io

import pytest

from crossvet import cli, console
from reports import annotate
from tests.e2e.test_hostile_module import replay

ACTIONS = {"GITHUB_ACTIONS": "true"}


def test_outside_actions_the_streams_are_untouched() -> None:
    out, err = io.StringIO(), io.StringIO()
    with console.guard({}, out, err) as (o, e):
        assert not isinstance(o, console.GuardedStream)
        assert not isinstance(e, console.GuardedStream)
        o.write("::warning::x\n")
        annotate.emit(o, "::group::g")
    assert out.getvalue() == "::warning::x\n::group::g\n"


def test_echoed_commands_are_stopped_and_own_commands_run() -> None:
    out, err = io.StringIO(), io.StringIO()
    with console.guard(ACTIONS, out, err) as (o, e):
        annotate.emit(o, "::group::job")
        o.write("plain line\n")
        o.write("a\n::warning::pwned.go:1: x\n  ::error::indented\n")
        e.write("##[error]old syntax\n")
        annotate.emit(o, "::endgroup::")
        o.write("x ::set-output name=a::b\n")
    ran, tokens = replay(out.getvalue())
    assert ran == ["::group::job", "::endgroup::"]
    assert len(tokens) == 2 and tokens[0] == tokens[1]
    # stderr shares the state: the old-syntax line came after stdout's stop, so no new stop
    assert err.getvalue() == "##[error]old syntax\n"
    assert out.getvalue().endswith(f"::{tokens[0]}::\n")  # resumed for the rest of the step


def test_a_harmless_log_gets_no_stop_lines() -> None:
    out = io.StringIO()
    with console.guard(ACTIONS, out, io.StringIO()) as (o, _):
        o.write('{"include": [{"shard": "1/2"}]}\n')  # `plan --format github-matrix` output
    assert out.getvalue() == '{"include": [{"shard": "1/2"}]}\n'


def test_a_command_split_across_writes_is_still_caught() -> None:
    out = io.StringIO()
    with console.guard(ACTIONS, out, io.StringIO()) as (o, _):
        o.write(":")
        o.flush()
        o.write(":warning::split\n")
        o.write("::error::no newline at the end")
    ran, _ = replay(out.getvalue())
    assert ran == []
    assert "::warning::split\n" in out.getvalue()
    assert "::error::no newline at the end\n" in out.getvalue()


def test_stderr_first_is_guarded_too() -> None:
    out, err = io.StringIO(), io.StringIO()
    with console.guard(ACTIONS, out, err) as (_, e):
        e.write("crossvet: error: ./a\n::warning::b.go: bad\n")
    ran, tokens = replay(err.getvalue() + out.getvalue())  # stdout says the resume, at the end
    assert ran == [] and len(tokens) == 1
    assert err.getvalue() == (f"crossvet: error: ./a\n::stop-commands::{tokens[0]}\n"
                              "::warning::b.go: bad\n")


def test_guarding_twice_shares_one_guard() -> None:
    out, err = io.StringIO(), io.StringIO()
    with console.guard(ACTIONS, out, err) as (o, e), console.guard(ACTIONS, o, e) as (o2, e2):
        assert o2 is o and e2 is e
        o2.write("::warning::x\n")
        annotate.emit(o2, "::notice::ok")
    assert replay(out.getvalue())[0] == ["::notice::ok"]


def test_own_commands_are_one_line() -> None:
    with console.guard(ACTIONS, io.StringIO(), io.StringIO()) as (o, _), \
            pytest.raises(ValueError, match="one line"):
        annotate.emit(o, "::error::a\n::warning::b")


def test_argparse_errors_go_through_the_guard() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(["check", "--targets"], ACTIONS, out, err)  # --targets needs a value
    assert code == 2
    assert "expected one argument" in err.getvalue()
    code = cli.run(["check", "--narrowing", "::warning::y"], ACTIONS, out, err)
    assert code == 2
    ran, tokens = replay(err.getvalue() + out.getvalue())
    assert ran == [] and tokens
