# Everyday commands. Each one is plain `go`; the Makefile only names them.
GO ?= go

# The race detector needs cgo (a C compiler). Without one, tests still run,
# without -race, and say so.
RACE := $(if $(filter 1,$(shell $(GO) env CGO_ENABLED)),-race,)

.PHONY: all regen check test vet lint run bench

all: test

# Validate api/openapi.yaml, lint it, and regenerate gen/qovery.gen.go.
regen:
	$(GO) run ./cmd/regen

# Fail when gen/ is not exactly what api/openapi.yaml generates.
check:
	$(GO) run ./cmd/regen -check

vet:
	@echo "== go vet ./... (the first run compiles every package: about a minute)"
	$(GO) vet ./...

# A module of its own, as a user's would be, that tests its code with
# qoverytest through a replace of this repository. ./... skips testdata, so
# it is run by name. Without -race: the packages it uses are raced above,
# and this run shows what a user's test costs.
USERMOD := qovery/qoverytest/testdata/usermod

# The six everyday tasks (organizations to environments, a database get,
# clone and wait, backups, a variable and a deploy at a commit, an update
# read back) written as a user would, each tested against qoverytest. A
# module of its own too, for the same reasons.
TASKS := qovery/qoverytest/testdata/tasks

# golangci-lint with the linters of .golangci.yml. It is built from its own
# module, tools/lint, so that its dependencies stay out of the library's
# go.mod; the first run builds it, which takes a few minutes. `make test`
# runs it too, right after vet; `make lint` runs it alone.
LINT = $(GO) tool -modfile=tools/lint/go.mod golangci-lint

lint:
	$(LINT) run ./...

# What CI runs (.ci/run): vet, golangci-lint, the tests, the usermod and
# tasks modules and the check that the generated files are current.
# Each long step says what it is doing first: on a fresh machine the lint
# and the tests are minutes of silence otherwise.
test: vet
	@echo "== golangci-lint (the first run builds it from tools/lint: a few minutes)"
	$(LINT) run ./...
	@$(if $(RACE),,echo "note: cgo is off (no C compiler?), so tests run without -race")
	@echo "== go test $(RACE) ./... (building$(if $(RACE), with the race detector,) and running: about three minutes, seconds when cached)"
	$(GO) test $(RACE) ./...
	@echo "== $(USERMOD): a module of its own, as a user's would be"
	cd $(USERMOD) && $(GO) vet ./... && $(GO) test ./...
	@echo "== $(TASKS): the everyday tasks, as a user writes them"
	cd $(TASKS) && $(GO) vet ./... && $(GO) test ./...
	@echo "== regen -check: gen/ and the generated files of qovery/ match api/openapi.yaml"
	$(GO) run ./cmd/regen -check

# The example: an embedded fake API unless QOVERY_API_TOKEN is set.
run:
	$(GO) run ./examples/clone-and-backup

# Benchmarks, regeneration time and a cold build of gen and qovery, with a
# summary against the targets; see BENCHMARKS.md. Takes a few minutes.
bench:
	GO="$(GO)" ./scripts/bench.sh
