"""The go commands each check runs, the same for every backend."""

from __future__ import annotations

from checker import commands
from matrix.plan import Job
from matrix.targets import Target

JOB = Job(target=Target.parse("linux/arm/v6"), checks=("vet", "build"), tags=("netgo", "x"))


def test_vet_is_json_with_the_jobs_tags_and_environment() -> None:
    cmd = commands.vet(JOB, ["./..."])
    assert cmd.args == ("vet", "-json", "-tags=netgo,x", "./...")
    assert cmd.env_dict() == {"GOOS": "linux", "GOARCH": "arm", "GOARM": "6",
                              "CGO_ENABLED": "0"}


def test_build_reports_every_error_and_discards_binaries() -> None:
    plain = commands.build(Job(target=Target.parse("windows/386"), checks=("build",)),
                           ["./a", "./b"], json_output=False)
    assert plain.args == ("build", "-gcflags=-e", "-o", "/dev/null", "./a", "./b")
    assert commands.build(JOB, ["./..."], json_output=True).args == (
        "build", "-gcflags=-e", "-o", "/dev/null", "-json", "-tags=netgo,x", "./...")


def test_list_names_the_packages_with_the_same_selection() -> None:
    cmd = commands.list_packages(JOB, ["./..."])
    assert cmd.args == ("list", "-e", "-tags=netgo,x",
                        "-json=ImportPath,Dir,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles", "./...")
    assert cmd.env == tuple(sorted(JOB.env().items()))


def test_the_planners_listing_puts_the_tags_after_list() -> None:
    cmd = commands.list_deps(JOB, ["./..."])
    assert cmd.args[:4] == ("list", "-tags=netgo,x", "-e", "-deps")
    assert cmd.args[-1] == "./..." and cmd.env == tuple(sorted(JOB.env().items()))
