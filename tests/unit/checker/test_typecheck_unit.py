"""Pure parts of typecheck: the request, the response parser, options, the engine's identity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker import engine_build, typecheck
from matrix.errors import ConfigError, InfraError
from matrix.options import resolve_check
from tests.helpers.typecheck_helpers import jobs_for


def test_request_carries_each_targets_environment() -> None:
    jobs = jobs_for(["linux/arm/v6", "windows/386"])
    settings = typecheck.Settings(memory_mb=512, result_cache=False)
    req = typecheck.request(jobs, go="/go/bin/go", module_dir="/m", packages=["./..."],
                            width=3, settings=settings, results_dir="/c/r")
    assert req["cache_dir"] == "" and req["memory_mb"] == 512 and req["jobs"] == 3
    arm = req["targets"][0]
    assert arm["name"] == "linux/arm/v6" and arm["goarch"] == "arm"
    assert arm["env"] == {"GOOS": "linux", "GOARCH": "arm", "GOARM": "6", "CGO_ENABLED": "0"}


def test_dependency_bodies_are_checked_unless_a_measurement_turns_them_off() -> None:
    jobs = jobs_for(["linux/386"])

    def req(settings: typecheck.Settings) -> dict[str, object]:
        return typecheck.request(jobs, go="go", module_dir="/m", packages=["./..."], width=1,
                                 settings=settings, results_dir="")

    assert req(typecheck.Settings())["no_dep_bodies"] is False
    assert req(typecheck.Settings(dep_bodies=False))["no_dep_bodies"] is True


def test_parse_response_makes_diagnostics_like_the_compiler_parser() -> None:
    jobs = jobs_for(["linux/386", "linux/amd64", "linux/arm"])
    data = {"targets": [
        {"name": "linux/386", "packages": ["example.com/m"], "seconds": 0.5, "diagnostics": [
            {"file": "/m/a.go", "line": 3, "col": 9, "kind": "type",
             "message": "x does not implement y (missing method M)\n\t\thave m()\n\t\twant M()"},
            {"file": "/m/a.go", "line": 4, "col": 2, "kind": "narrowing",
             "message": "narrowing conversion int(n): int64 to int loses bits"},
            {"file": "/m/a.go", "line": 5, "col": 1, "kind": "type",
             "message": "undefined: f"},
            {"file": "/m/a.go", "line": 6, "col": 1, "kind": "syntax",
             "message": "expected ';', found 'EOF'"},
        ]},
        {"name": "linux/amd64", "packages": [], "diagnostics": [], "error": "go list failed"},
    ]}
    out = typecheck.parse_response(data, jobs, module_dir="/m", narrowing="warning")
    r386 = out["linux/386"]
    assert r386.status == "fail" and r386.packages == ("example.com/m",)
    first, narrow, undefined, syntax = r386.diagnostics
    assert first.message == "x does not implement y (missing method M)\nhave m()\nwant M()"
    assert (first.file, first.line, first.col, first.category) == ("a.go", 3, 9, "compile")
    assert (narrow.category, narrow.severity) == ("narrowing", "warning")
    assert undefined.category == "undefined" and syntax.category == "compile"
    assert out["linux/amd64"].status == "error" and out["linux/amd64"].error == "go list failed"
    assert out["linux/arm"].status == "error"  # not in the answer: never silently ok


def test_narrowing_as_error_fails_the_target() -> None:
    jobs = jobs_for(["linux/386"])
    data = {"targets": [{"name": "linux/386", "diagnostics": [
        {"file": "/m/a.go", "line": 4, "col": 2, "kind": "narrowing", "message": "n"}]}]}
    warn = typecheck.parse_response(data, jobs, module_dir="/m", narrowing="warning")
    err = typecheck.parse_response(data, jobs, module_dir="/m", narrowing="error")
    assert warn["linux/386"].status == "ok" and err["linux/386"].status == "fail"


def test_a_panicking_analyzer_is_vets_error_never_a_finding() -> None:
    jobs = jobs_for(["linux/386"])
    panic = {"kind": "internal", "analyzer": "printf", "package": "example.com/m",
             "message": "vet's analyzer printf panicked: runtime error: nil pointer dereference"}
    data = {"targets": [{"name": "linux/386", "diagnostics": [
        panic, dict(panic),
        {"file": "/m/a.go", "line": 4, "col": 2, "kind": "vet", "analyzer": "copylocks",
         "message": "f passes lock by value"}]}]}
    vet = typecheck.parse_response(data, jobs, module_dir="/m", narrowing="warning",
                                   check="vet")["linux/386"]
    assert vet.status == "error" and vet.error == (
        "vet's analyzer printf panicked: runtime error: nil pointer dereference"
        " (package example.com/m)")  # once, though two entries reported it
    assert [d.analyzer for d in vet.diagnostics] == ["copylocks"]  # the other findings stay
    tc = typecheck.parse_response(data, jobs, module_dir="/m", narrowing="warning",
                                  check="typecheck")["linux/386"]
    assert (tc.status, tc.error, tc.diagnostics) == ("ok", "", ())  # not typecheck's failure


def test_the_cgo_note_names_the_faked_packages_once_and_their_targets() -> None:
    data = {"targets": [
        {"name": "linux/amd64 +cgo", "cgo_faked": ["m/e", "m/a", "m/b"]},
        {"name": "linux/386 +cgo", "cgo_faked": ["m/a", "m/c"]},
        {"name": "linux/arm", "diagnostics": []}]}
    [note] = typecheck.cgo_notes(data, vet=False)
    assert note.startswith("cgo not checked on linux/amd64 +cgo, linux/386 +cgo: no C compiler; "
                           "install crossvet[cgo] or set CC_FOR_<goos>_<goarch>. The cgo files "
                           "of m/a, m/b, m/c, 1 more package are checked with a fake import")
    assert typecheck.cgo_notes({"targets": [{"name": "linux/arm"}]}, vet=True) == []


def test_a_package_cgo_cannot_run_on_is_one_status_naming_what_is_missing() -> None:
    skip = {"package": "m/pc", "reason": "pkg-config cannot find sqlite3: not found"}
    data = {"targets": [
        {"name": "linux/386 +cgo", "cgo_faked": ["m/pc"], "cgo_real": ["m/a"],
         "cgo_skipped": [skip]},
        {"name": "windows/amd64 +cgo", "cgo_faked": ["m/pc"], "cgo_skipped": [skip]}]}
    assert typecheck.cgo_notes(data, vet=True) == [
        "cgo: m/pc not checkable on linux/386 +cgo, windows/amd64 +cgo: pkg-config cannot find "
        "sqlite3: not found (its cgo files are checked with a fake import \"C\")"]


def test_the_engine_checks_share_a_targets_time_without_counting_it_twice() -> None:
    jobs = jobs_for(["linux/386"])
    data = {"targets": [{"name": "linux/386", "seconds": 2.0, "vet_seconds": 0.5,
                         "diagnostics": []}]}

    def seconds(check: str, checks: tuple[str, ...]) -> float:
        return typecheck.parse_response(data, jobs, module_dir="/m", narrowing="warning",
                                        check=check, checks=checks)["linux/386"].duration

    both = ("typecheck", "vet")
    assert (seconds("typecheck", both), seconds("vet", both)) == (1.5, 0.5)
    assert seconds("typecheck", ("typecheck",)) == 2.0 and seconds("vet", ("vet",)) == 2.0


def test_the_answer_is_the_last_line_after_the_events() -> None:
    target = {"name": "linux/386", "seconds": 0.25, "diagnostics": []}
    stdout = "\n".join([json.dumps({"event": "target", "target": target}),
                         json.dumps({"targets": [target], "stats": {}}), ""])
    event, answer = stdout.splitlines()
    assert typecheck.event_target(event) == target
    assert typecheck.event_target(answer) is None and typecheck.event_target("garbage") is None
    assert typecheck.answer_of(stdout) == {"targets": [target], "stats": {}}


def test_parse_response_rejects_garbage() -> None:
    with pytest.raises(InfraError):
        typecheck.parse_response([], jobs_for(["linux/386"]), module_dir="/m",
                                 narrowing="warning")


def test_typecheck_options_resolve_flags_over_environment() -> None:
    env = {"HOME": "/home/u", "CROSSVET_NARROWING": "error", "CROSSVET_TYPECHECK_MEMORY": "300"}
    opts = resolve_check({"path": "."}, env)
    assert (opts.narrowing, opts.typecheck_memory) == ("error", 300)
    assert opts.cache_dir == "/home/u/.cache/crossvet" and opts.typecheck_cache
    opts = resolve_check({"path": ".", "narrowing": "warning", "typecheck_cache": "off",
                          "cache_dir": "/tmp/c"}, {**env, "CROSSVET_ENGINE": "/e"})
    assert (opts.narrowing, opts.typecheck_cache, opts.cache_dir, opts.engine) == (
        "warning", False, "/tmp/c", "/e")
    with pytest.raises(ConfigError, match="CROSSVET_NARROWING"):
        resolve_check({"path": "."}, {"CROSSVET_NARROWING": "loud"})


def test_an_older_go_is_told_what_it_can_check_instead() -> None:
    engine_build.check_version(engine_build.MIN_GO)
    with pytest.raises(InfraError) as err:
        engine_build.check_version((1, 21, 13))
    assert "needs Go 1.22 or later; go1.21.13 is in use" in str(err.value)
    assert "--checks vet,build --vet go" in str(err.value)


def test_engine_identity_follows_its_source(tmp_path: Path) -> None:
    src = engine_build.ENGINE_SRC
    for f in engine_build.source_files():
        (tmp_path / f.relative_to(src)).parent.mkdir(exist_ok=True)
        (tmp_path / f.relative_to(src)).write_bytes(f.read_bytes())
    before = engine_build.source_hash(tmp_path)
    assert before == engine_build.source_hash()
    (tmp_path / "main.go").write_text((tmp_path / "main.go").read_text() + "\n// changed\n")
    assert engine_build.source_hash(tmp_path) != before
    env = engine_build.build_env({"GOOS": "windows", "GOARCH": "386", "GOFLAGS": "-mod=vendor"})
    assert "GOOS" not in env and "GOARCH" not in env and env["GOFLAGS"] == ""


def test_engine_source_is_its_packages_go_files_and_go_mod(tmp_path: Path) -> None:
    for rel in ("go.mod", "main.go", "main_test.go", "narrow/narrow.go", "narrow/go.mod",
                "testdata/x.go", "narrow/testdata/y.go", "notes.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("package x\n")
    assert [str(f.relative_to(tmp_path)) for f in engine_build.source_files(tmp_path)] == \
        ["go.mod", "main.go", "narrow/narrow.go"]
    before = engine_build.source_hash(tmp_path)
    (tmp_path / "testdata" / "x.go").write_text("package y\n")
    assert engine_build.source_hash(tmp_path) == before
    (tmp_path / "narrow" / "narrow.go").write_text("package y\n")
    assert engine_build.source_hash(tmp_path) != before


def test_typecheck_keys_come_from_the_config_file_too(tmp_path: Path) -> None:
    """One cascade: the file sets the engine's keys, a variable beats the file, and a relative
    cache_dir in the file is relative to the module (the docker cache follows it)."""
    text = "narrowing: error\ntypecheck_memory: 512\ntypecheck_cache: off\ncache_dir: c\n"
    opts = resolve_check({"path": str(tmp_path)}, {"CROSSVET_TYPECHECK_MEMORY": "300"},
                         config_text=text, config_source=".crossvet.yaml")
    assert (opts.narrowing, opts.typecheck_memory, opts.typecheck_cache) == ("error", 300, False)
    assert opts.cache_dir == str(tmp_path / "c")
    assert opts.docker_cache == str(tmp_path / "c" / "docker")
    with pytest.raises(ConfigError, match=r"\.crossvet\.yaml:1: narrowing"):
        resolve_check({"path": "."}, {}, config_text="narrowing: loud\n",
                      config_source=".crossvet.yaml")


def test_narrowing_level_and_generated_go_from_the_cascade_to_the_request(tmp_path: Path) -> None:
    """--narrowing-level and --narrowing-generated go through the one cascade (flag > variable
    > file) into the engine's request; a bad value names its source."""
    text = "narrowing_level: all\nnarrowing_generated: on\n"
    opts = resolve_check({"path": str(tmp_path)}, {}, config_text=text,
                         config_source=".crossvet.yaml")
    assert (opts.narrowing_level, opts.narrowing_generated) == ("all", True)
    opts = resolve_check({"path": ".", "narrowing_level": "default"},
                         {"CROSSVET_NARROWING_GENERATED": "off"}, config_text=text,
                         config_source=".crossvet.yaml")
    assert (opts.narrowing_level, opts.narrowing_generated) == ("default", False)
    req = typecheck.request(jobs_for(["linux/386"]), go="go", module_dir="/m",
                            packages=["./..."], width=1,
                            settings=typecheck.typecheck_settings(
                                resolve_check({"path": ".", "narrowing_level": "all",
                                               "narrowing_generated": "on"}, {})),
                            results_dir="/c")
    assert (req["narrowing_level"], req["narrowing_generated"]) == ("all", True)
    with pytest.raises(ConfigError, match="CROSSVET_NARROWING_LEVEL"):
        resolve_check({"path": "."}, {"CROSSVET_NARROWING_LEVEL": "some"})
    with pytest.raises(ConfigError, match=r"\.crossvet\.yaml:1: narrowing_generated"):
        resolve_check({"path": "."}, {}, config_text="narrowing_generated: maybe\n",
                      config_source=".crossvet.yaml")


def test_a_dependency_taken_from_a_go_work_says_so_not_only_go_mods_version() -> None:
    """go.mod requires example.com/dep v0.1.0 but a go.work `use`s ../dep: the code checked is
    that directory's, as a `replace` would say; the module cache's copy is the version's."""
    def message(dep: dict[str, object]) -> str:
        raw = {"file": "/w/m/go.mod", "line": 5, "col": 0, "kind": "type",
               "message": "undefined: x", "dep": {"module": "example.com/dep",
                                                  "version": "v0.1.0", "line": 4, "col": 14,
                                                  **dep}}
        data = {"targets": [{"name": "plan9/386", "diagnostics": [raw]}]}
        (d,) = typecheck.parse_response(data, jobs_for(["plan9/386"]), module_dir="/w/m",
                                        narrowing="warning")["plan9/386"].diagnostics
        assert d.dependency == "example.com/dep@v0.1.0" and (d.file, d.line) == ("go.mod", 5)
        return d.message
    assert message({"dir": "/w/dep", "file": "/w/dep/g.go"}) == (
        "example.com/dep@v0.1.0 => ../dep (go.work) g.go:4:14: undefined: x")
    assert message({"dir": "/w/dep", "file": "/w/dep/g.go", "replace": "../dep"}) == (
        "example.com/dep@v0.1.0 => ../dep g.go:4:14: undefined: x")
    cache = "/go/pkg/mod/example.com/dep@v0.1.0"
    assert message({"dir": cache, "file": cache + "/g.go"}) == (
        "example.com/dep@v0.1.0 g.go:4:14: undefined: x")
