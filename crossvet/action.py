"""What the GitHub Action (action.yml) runs: `python -m crossvet.action`.

The action passes its inputs only through environment variables (`INPUT_*`, set in action.yml's
`env:`), never by `${{ }}` in a shell line, so no input can inject a command. This module turns
them into a `crossvet check`, then a `crossvet comment` on pull requests, writes the step outputs,
and decides the step's exit code from `fail-on`:

- `findings` (default): the check's own exit code (1 when anything breaks).
- `new`: 1 only for error findings whose id is not in the `baseline` results file (for example
  the base branch's results artifact); without a baseline every finding counts as new.
- `never`: 0 whatever was found.

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

from crossvet import cli, console
from crossvet.github import warn
from crossvet.outputs import load
from matrix.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CrossvetError
from reports.results import Results

FAIL_ON = ("findings", "new", "never")
_FLAGS = (  # input variable -> `crossvet check` flag; empty inputs are not passed
    ("INPUT_TARGETS", "--targets"), ("INPUT_CHECKS", "--checks"), ("INPUT_JOBS", "--jobs"),
    ("INPUT_CONFIG", "--config"), ("INPUT_RUNNER", "--runner"), ("INPUT_SHARD", "--shard"),
    ("INPUT_SARIF", "--sarif"), ("INPUT_MODULES", "--modules"),
)
_PR_EVENTS = ("pull_request", "pull_request_target")


def flag(value: str, name: str) -> bool:
    v = value.strip().lower()
    if v in ("on", "true", "yes", "1"):
        return True
    if v in ("", "off", "false", "no", "0"):
        return False
    raise ValueError(f"input {name} must be on or off, got {value!r}")


def check_argv(env: Mapping[str, str], results_path: str) -> list[str]:
    argv = ["check", f"--json={results_path}"]
    for var, option in _FLAGS:
        value = env.get(var, "").strip()
        if value:  # one `--flag=value` token: a value can never be read as another option
            argv.append(f"{option}={value}")
    if flag(env.get("INPUT_KEEP_GOING", ""), "keep-going"):
        argv.append("--keep-going")
    return [*argv, "--", env.get("INPUT_WORKING_DIRECTORY", "") or "."]


def new_findings(results: Results, baseline: Results | None) -> int:
    known = {f.id for f in baseline.findings} if baseline else set()
    return sum(1 for f in results.findings if f.severity == "error" and f.id not in known)


def decide(fail_on: str, check_code: int, new: int) -> int:
    if check_code not in (EXIT_OK, EXIT_FINDINGS):
        return check_code
    if fail_on == "never":
        return EXIT_OK
    if fail_on == "new":
        return EXIT_FINDINGS if new else EXIT_OK
    return check_code


def is_pull_request(env: Mapping[str, str]) -> bool:
    if env.get("GITHUB_EVENT_NAME", "") in _PR_EVENTS:
        return True
    try:
        with open(env.get("GITHUB_EVENT_PATH", ""), encoding="utf-8") as fh:
            return isinstance(json.load(fh).get("pull_request"), dict)
    except (OSError, ValueError, AttributeError):
        return False


def _output(env: Mapping[str, str], values: Mapping[str, str]) -> None:
    path = env.get("GITHUB_OUTPUT", "")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.writelines(f"{k}={v}\n" for k, v in values.items())


def main(env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    with console.guard(env, out, err) as (log_out, log_err):  # one guard: check and comment
        return _main(env, log_out, log_err)


def _main(env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    fail_on = env.get("INPUT_FAIL_ON", "").strip() or "findings"
    try:
        if fail_on not in FAIL_ON:
            raise ValueError(f"input fail-on must be one of {', '.join(FAIL_ON)}, got {fail_on!r}")
        comment = flag(env.get("INPUT_COMMENT", "on"), "comment")
        flag(env.get("INPUT_KEEP_GOING", ""), "keep-going")  # a bad value fails first
        baseline_path = env.get("INPUT_BASELINE", "").strip()
        baseline = load(baseline_path) if baseline_path else None  # bad input fails first
    except (ValueError, CrossvetError) as exc:
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
    code = cli.run(check_argv(env, results_path), env, out, err)
    outputs = {"exit-code": str(code), "results": "", "findings": "0", "new-findings": "0",
               "sarif": sarif_path if sarif_path and os.path.isfile(sarif_path) else ""}
    if not os.path.exists(results_path):
        _output(env, outputs)
        return code if code != EXIT_OK else EXIT_USAGE
    results = load(results_path)
    if fail_on == "new" and baseline is None:
        warn(out, "fail-on is 'new' but no baseline results file was given: every finding "
                  "counts as new")
    new = new_findings(results, baseline)
    outputs.update(results=results_path, findings=str(results.summary["findings"]),
                   **{"new-findings": str(new)})
    _output(env, outputs)
    if comment and is_pull_request(env):
        key = env.get("INPUT_COMMENT_KEY", "").strip() or "crossvet"
        argv = ["comment", f"--key={key}", "--", results_path]
        if cli.run(argv, env, out, err) != EXIT_OK:
            warn(out, "the pull request comment could not be written (see the log above); the "
                      "check's result is not affected")
    return decide(fail_on, code, new)


if __name__ == "__main__":
    sys.exit(main(os.environ, sys.stdout, sys.stderr))
