"""What an option is, once: the row type of the one option table (matrix/config.OPTIONS) and what
is derived from the rows (the `init` template, the docs' option tables). Pure.

A row names everything about one option: its config key (also the `CheckOptions` field), its
flags, its environment variable, its default, its normaliser, its help, its choices, the
commands that take it, its GitHub Action input, whether it changes findings and whether it
names an output file. The command line (crossvet/cli.py), the cascade (matrix/options.py), the
Action (crossvet/action.py) and the cache key of a `--new-from-rev` run (crossvet/pipeline.py)
read the table; none of them lists options.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

AUTO = "auto"  # flags/env: derived from the key (--narrowing-level, CROSSVET_NARROWING_LEVEL)
RUN_COMMANDS = ("check", "baseline", "plan")  # the commands that plan a run
CHECK_COMMANDS = ("check", "baseline")  # ... and those that also run it
REPORT_COMMANDS = ("check", "merge", "report")  # ... those that decide an exit code from results


@dataclass(frozen=True, kw_only=True)
class Option:
    key: str  # the config-file key, the flags' name and the CheckOptions field (or field_name)
    help: str  # one line, without the default: --help, the init template, the docs
    default: Any = None  # CheckOptions' default
    default_text: str = ""  # how the default is said when not by its value ("the number of cores")
    # YAML's value, or a flag's or variable's string -> the value; ValueError for a bad one.
    # None: one of `choices` when there are some, else any non-empty text.
    normalise: Callable[[Any], Any] | None = None
    flags: tuple[str, ...] = (AUTO,)  # () when there is no flag
    env: str = AUTO  # "" when there is no variable
    in_file: bool = True  # a .crossvet.yaml key
    choices: tuple[str, ...] = ()
    commands: tuple[str, ...] = RUN_COMMANDS  # the commands whose flag it is
    action_input: str = ""  # the GitHub Action's input (action.yml) passed as the flag
    findings: bool = True  # can change what is found (else left out of cached runs' keys)
    output: bool = False  # names a file crossvet writes (checked writable before anything runs)
    # a module's own .crossvet.yaml sets it for that module in a run of several modules (every
    # other key is the run's: docs/modules.md)
    per_module: bool = False
    group: str = ""  # the section of --help, the init template and the docs
    metavar: str = ""
    flag_value: str = ""  # a flag without a value gives this one (--no-typecheck-cache: off)
    many: bool = False  # the flag takes one or more values (--packages a b)
    sample: str = ""  # a valid value other than the default, as a flag or variable spells it
    file_sample: str = ""  # the same in YAML, when the flag's spelling does not fit the file
    field_name: str = ""  # the CheckOptions field, when not `key`

    @property
    def field(self) -> str:
        return self.field_name or self.key

    def value(self, raw: Any) -> Any:
        """The normalised value; ValueError saying what is wrong (without where it came from)."""
        if self.normalise is not None:
            return self.normalise(raw)
        if isinstance(raw, bool) or not isinstance(raw, str | int | float) or not str(raw):
            raise ValueError(f"{self.key} should be a string")
        text = str(raw).strip()
        if not self.choices:
            return text
        if text.lower() not in self.choices:
            raise ValueError(f"{self.key} should be {_either(self.choices)}, got {raw!r}")
        return text.lower()

    @property
    def flag_names(self) -> tuple[str, ...]:
        return tuple("--" + self.key.replace("_", "-") if f == AUTO else f for f in self.flags)

    @property
    def variable(self) -> str:
        return "CROSSVET_" + self.key.upper() if self.env == AUTO else self.env

    @property
    def shown_default(self) -> str:
        if self.default_text:
            return self.default_text
        value = self.default
        if isinstance(value, bool):
            return "on" if value else "off"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, tuple):
            return ",".join(str(v) for v in value) or "none"
        return str(value) if value not in (None, "") else "none"

    @property
    def full_help(self) -> str:
        """The help with the choices (unless it names each already) and the default, as --help,
        the template and docs say it."""
        named = all(re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", self.help)
                    for c in self.choices)
        choices = f": {_either(self.choices)}" if self.choices and not named else ""
        return f"{self.help}{choices} (default: {self.shown_default})"

    def file_value(self) -> str:
        """The sample as YAML: plain when YAML reads it as the flag's string would be read."""
        if self.file_sample:
            return self.file_sample
        import yaml  # noqa: PLC0415 (deliberately lazy: a run without YAML to read)
        try:
            plain = self.value(yaml.safe_load(self.sample)) == self.value(self.sample)
        except (ValueError, yaml.YAMLError):
            plain = False
        return self.sample if plain else json.dumps(self.sample)


def _either(choices: tuple[str, ...]) -> str:
    return " or ".join(choices) if len(choices) == 2 else "one of " + ", ".join(choices)


TEMPLATE_HEAD = """\
# crossvet configuration (written by `crossvet init`; see docs/planner.md).
# Precedence: command-line flags > CROSSVET_* environment variables > this file > defaults.
# Every key is here with its default; the commented value is an example. This file changes
# nothing until you edit it.
"""


def render_template(options: Iterable[Option]) -> str:
    """The commented .crossvet.yaml `crossvet init` writes: every file key, by group."""
    out = [TEMPLATE_HEAD]
    group = None
    for o in options:
        if not o.in_file:
            continue
        if o.group != group:
            group = o.group
            out.append(f"\n# ---- {group} ----\n" if group else "")
        where = [f"Env: {o.variable}." if o.variable else "",
                 f"Flag: {o.flag_names[0]}." if o.flag_names else ""]
        text = " ".join([o.full_help[:1].upper() + o.full_help[1:] + ".", *(w for w in where if w)])
        out.append("\n" + textwrap.fill(text, 96, initial_indent="# ", subsequent_indent="# ")
                   + "\n")
        sample = o.file_value()
        lines = f"{o.key}:{'' if sample.startswith(chr(10)) else ' '}{sample}".split("\n")
        out.extend(f"# {line}\n" for line in lines)
    return "".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(options: Iterable[Option], *, group: str | None = None) -> str:
    """The docs' option table: every option with a key, flag or variable (of one group)."""
    rows = ["| key | flag | environment | Action input | default | value |",
            "| --- | --- | --- | --- | --- | --- |"]
    for o in options:
        if group is not None and o.group != group:
            continue
        if not (o.in_file or o.flag_names or o.variable):
            continue
        key = f"`{o.key}`" if o.in_file else ""
        flags = ", ".join(f"`{f}`" for f in o.flag_names)
        var = f"`{o.variable}`" if o.variable else ""
        action = f"`{o.action_input}`" if o.action_input else ""
        value = o.help + (f" (`{'`, `'.join(o.choices)}`)" if o.choices else "")
        rows.append(f"| {key} | {flags} | {var} | {action} | {_cell(o.shown_default)} | "
                    f"{_cell(value)} |")
    return "\n".join(rows) + "\n"
