"""What the GitHub Action (action.yml) runs: `python -m crossvet.action`.

The action passes its inputs only through environment variables (`INPUT_*`, set in action.yml's
`env:`), never by `${{ }}` in a shell line, so no input can inject a command. This module turns
them into a `crossvet check`, then a `crossvet comment` on pull requests, and writes the step
outputs. The step's exit code is the check's: `fail-on`, `baseline` and `only-new` become
`--fail-on`, `--baseline` and `--new-from-rev`, so the Action decides exactly as the command line
does (one code path):

- `fail-on: new` (the default): 1 for error findings that are not in the baseline; without one
  every finding is new. `findings`: 1 for any. `never`: 0 whatever was found.
- `only-new: on`: on a pull request, the baseline is the merge base of the pull request (its base
  branch's commit), checked in a git worktree (`--new-from-rev`); the checkout needs that
  commit (`fetch-depth: 0`), else the step fails with exit 2 and says how to fetch it.

Whatever `fail-on` says, a run that could not check (exit 2 bad input, 3 infrastructure, 130
interrupted) fails the step: "no findings" must never stand for "not checked". Commenting failures
never change the exit code. With `shard`, the step only checks and writes its results: the job
that merges the shards annotates, summarizes and comments once.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from typing import TextIO

from crossvet import cli, console, gitrev
from crossvet.github import warn
from crossvet.outputs import load
from matrix.config import BY_KEY, OPTIONS
from matrix.errors import EXIT_OK, EXIT_USAGE
from reports.formats import FORMATS


def input_variable(name: str) -> str:
    """The variable action.yml passes an input in: `fail-on` -> INPUT_FAIL_ON."""
    return "INPUT_" + name.upper().replace("-", "_")


# input -> (`crossvet check` flag, the value a flag without one stands for): every option and
# report format of the tables with an Action input. The working directory is the PATH
# argument; the other inputs are the Action's own (ACTION_INPUTS).
_FLAGS = (
    *((o.action_input, o.flag_names[0], o.flag_value) for o in OPTIONS
      if o.action_input and o.flag_names),
    *((f.action_input, f"--{f.name}", "") for f in FORMATS if f.action_input),
)
_ON_OFF = tuple(name for name, _, flag_value in _FLAGS if flag_value)
_PATH_INPUT = input_variable(BY_KEY["module_dir"].action_input)
ACTION_INPUTS = ("go-version", "comment", "comment-key", "only-new", "results", "github-token")
_PR_EVENTS = ("pull_request", "pull_request_target")


def flag(value: str, name: str) -> bool:
    v = value.strip().lower()
    if v in ("on", "true", "yes", "1"):
        return True
    if v in ("", "off", "false", "no", "0"):
        return False
    raise ValueError(f"input {name} must be on or off, got {value!r}")


def check_argv(env: Mapping[str, str], results_path: str, *, new_from_rev: str = ""
               ) -> list[str]:
    argv = ["check", f"--json={results_path}"]
    for name, option, flag_value in _FLAGS:
        value = env.get(input_variable(name), "").strip()
        if flag_value:  # an on/off input: the flag or nothing
            if flag(value, name):
                argv.append(option)
        elif value:  # one `--flag=value` token: a value can never be read as another option
            argv.append(f"{option}={value}")
    if new_from_rev:
        argv.append(f"--new-from-rev={new_from_rev}")
    return [*argv, "--", env.get(_PATH_INPUT, "") or "."]


def _event(env: Mapping[str, str]) -> dict[str, object]:
    try:
        with open(env.get("GITHUB_EVENT_PATH", ""), encoding="utf-8") as fh:
            event = json.load(fh)
    except (OSError, ValueError):
        return {}
    return event if isinstance(event, dict) else {}


def pull_request_base(env: Mapping[str, str], module_dir: str) -> str:
    """The revision a pull request's findings are compared with: the merge base of HEAD and the
    base branch's commit (the event's `pull_request.base.sha`, else origin/GITHUB_BASE_REF).
    When git cannot compute it (shallow history), the base commit itself, which the check
    then resolves or explains how to fetch."""
    pr = _event(env).get("pull_request")
    base = pr.get("base") if isinstance(pr, dict) else None
    sha = base.get("sha") if isinstance(base, dict) else None
    rev = sha if isinstance(sha, str) and sha else ""
    if not rev and env.get("GITHUB_BASE_REF", ""):
        rev = f"origin/{env['GITHUB_BASE_REF']}"
    if not rev:
        return ""
    return gitrev.merge_base(module_dir, "HEAD", rev, env) or rev


def is_pull_request(env: Mapping[str, str]) -> bool:
    if env.get("GITHUB_EVENT_NAME", "") in _PR_EVENTS:
        return True
    return isinstance(_event(env).get("pull_request"), dict)


def _output(env: Mapping[str, str], values: Mapping[str, str]) -> None:
    path = env.get("GITHUB_OUTPUT", "")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.writelines(f"{k}={v}\n" for k, v in values.items())


def main(env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    with console.guard(env, out, err) as (log_out, log_err):  # one guard: check and comment
        return _main(env, log_out, log_err)


def _main(env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    try:
        comment = flag(env.get("INPUT_COMMENT", "on"), "comment")
        for name in _ON_OFF:  # a bad value fails first
            flag(env.get(input_variable(name), ""), name)
        only_new = flag(env.get("INPUT_ONLY_NEW", "off"), "only-new")
    except ValueError as exc:
        err.write(f"crossvet: error: {exc}\n")
        return EXIT_USAGE
    temp = env.get("RUNNER_TEMP", "") or os.path.abspath(".")
    results_path = env.get("INPUT_RESULTS", "").strip() or os.path.join(temp,
                                                                        "crossvet-results.json")
    sarif_path = env.get("INPUT_SARIF", "").strip()
    for stale in (results_path, sarif_path):  # never report an earlier run's files
        if stale and os.path.isfile(stale):
            os.remove(stale)
    shard = env.get("INPUT_SHARD", "").strip()
    if shard:  # one shard of many: the merge job annotates, summarizes and comments, once
        env = {**env, "CROSSVET_ANNOTATE": "0"}
        comment = False
    rev = ""
    if only_new and is_pull_request(env):
        module_dir = env.get(_PATH_INPUT, "") or "."
        rev = pull_request_base(env, module_dir)
        if not rev:
            warn(out, "only-new is on but the event names no base branch: every finding "
                      "counts as new")
    elif only_new:
        out.write("crossvet: only-new applies to pull requests; this run compares with no "
                  "revision\n")
    if (env.get("INPUT_FAIL_ON", "").strip() == "new" and not rev
            and not env.get("INPUT_BASELINE", "").strip()):
        warn(out, "fail-on is 'new' but there is no baseline (baseline or only-new): every "
                  "finding counts as new")
    code = cli.run(check_argv(env, results_path, new_from_rev=rev), env, out, err)
    outputs = {"exit-code": str(code), "results": "", "findings": "0", "new-findings": "0",
               "sarif": sarif_path if sarif_path and os.path.isfile(sarif_path) else ""}
    if not os.path.exists(results_path):
        _output(env, outputs)
        return code if code != EXIT_OK else EXIT_USAGE
    results = load(results_path)
    outputs.update(results=results_path, findings=str(results.summary["findings"]),
                   **{"new-findings": str(results.summary["new"])})
    _output(env, outputs)
    if comment and is_pull_request(env):
        key = env.get("INPUT_COMMENT_KEY", "").strip() or "crossvet"
        argv = ["comment", f"--key={key}", "--", results_path]
        if cli.run(argv, env, out, err) != EXIT_OK:
            warn(out, "the pull request comment could not be written (see the log above); the "
                      "check's result is not affected")
    return code


if __name__ == "__main__":
    sys.exit(main(os.environ, sys.stdout, sys.stderr))
