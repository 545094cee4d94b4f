# ICCSim: `make run` and `make test` set up a fresh Debian machine (system libraries), build,
# and run the default scenario or the whole test suite.
SWIFT ?= swift
SYSTEM_PACKAGES := libgsl-dev libhdf5-dev pkg-config
PYTHON ?= python3

.PHONY: all deps build release run test test-slurm test-report test-examples test-python test-doc-figures test-scenario-tables test-fuzz fuzz doc-tables regress baselines bench bench-thresholds bench-kernel default-scenario clean

all: build

# Install the C libraries ICCSim links (GSL, HDF5) when they are missing.
deps:
	@missing=""; \
	for p in $(SYSTEM_PACKAGES); do \
	  if command -v dpkg >/dev/null 2>&1; then dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; fi; \
	done; \
	if ! command -v dpkg >/dev/null 2>&1; then \
	  pkg-config --exists gsl hdf5-serial 2>/dev/null || pkg-config --exists gsl hdf5 2>/dev/null || { \
	    echo "ICCSim needs GSL and HDF5 (serial) development files and pkg-config; install them with your package manager." >&2; exit 1; }; \
	fi; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "ICCSim needs these Debian packages:$$missing" >&2; \
	    echo "Install them with: sudo apt-get install$$missing   (then run make again)" >&2; exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Build and run the built-in default scenario; results go to Results/city-center-seed1/.
run: release
	.build/release/iccsim run

# The whole test suite: the h5py/pandas example, the Python reader's tests, the baselines, the
# docs' quick figures rerun, a short fuzz pass, then the Swift unit, validation and CLI tests.
test: deps
	$(SWIFT) build --build-tests
	$(MAKE) --no-print-directory test-examples
	$(MAKE) --no-print-directory test-python
	$(MAKE) --no-print-directory regress
	$(MAKE) --no-print-directory test-doc-figures
	$(MAKE) --no-print-directory test-scenario-tables
	$(MAKE) --no-print-directory test-fuzz
	$(SWIFT) test --skip-build

# The Python reader (python/, `pip install ./python`) against runs and sweeps of this build, with
# pytest (installed from PyPI when missing, like h5py and pandas).
test-python: build
	@$(PYTHON) -c 'import h5py, pandas, pytest' 2>/dev/null || $(PYTHON) -m pip install -q h5py pandas pytest
	ICCSIM=$(CURDIR)/.build/debug/iccsim $(PYTHON) -m pytest python/tests -q -p no:cacheprovider

# The fuzz harness's short deterministic pass (200 mutated scenarios, sweep files and trace
# CSVs, about a minute): no crash, hang or memory blow-up, every rejection located.
test-fuzz: build
	$(PYTHON) scripts/fuzz.py --iccsim .build/debug/iccsim --seed 1 --cases 200 --quiet

# A long fuzz pass for maintainers (docs/performance.md#fuzzing):
#   make fuzz FUZZ_SEED=7 FUZZ_CASES=5000     or     make fuzz FUZZ_SECONDS=3600
FUZZ_SEED ?= 1
FUZZ_CASES ?= 5000
FUZZ_SECONDS ?= 0
fuzz: release
	$(PYTHON) scripts/fuzz.py --iccsim .build/release/iccsim --seed $(FUZZ_SEED) --cases $(FUZZ_CASES) --seconds $(FUZZ_SECONDS)

# A sweep as a 4-task array on a real one-node Slurm started here (slurm-wlm and munge installed
# when missing), checked against the same sweep run locally; stops the daemons it started.
test-slurm: build
	scripts/test-slurm.sh

# Opens `iccsim report` pages in headless Chromium (installed when missing) and checks from the
# screenshot that the plots rendered.
test-report: build
	scripts/test-report.sh

# Reruns the committed baselines (Results/baselines/) and fails on a regression (docs/ci.md).
regress: build
	scripts/regress.sh

# Rewrites the baselines on purpose; commit them with a note saying why.
baselines: build
	scripts/regress.sh --update

# Reads traces the documented way (h5py + pandas), installing them from PyPI when missing: two
# days of the default center, and a month of 16,384 busy accelerators (whose busy x time sum
# passes 2^63 ns, so a reader summing in 64-bit integers would wrap around).
test-examples: build
	@$(PYTHON) -c 'import h5py, pandas' 2>/dev/null || $(PYTHON) -m pip install -q h5py pandas
	rm -rf .build/example-run .build/example-month
	.build/debug/iccsim run --quiet --set horizon=2d --out .build/example-run
	$(PYTHON) docs/examples/read_trace.py .build/example-run/trace.h5
	.build/debug/iccsim run Scenarios/validation/busy-month.yaml --quiet --out .build/example-month
	$(PYTHON) docs/examples/read_trace.py .build/example-month/trace.h5

bench-kernel: release
	.build/release/iccsim bench kernel

# Kernel and end-to-end benchmarks (ordo-one/benchmark), see docs/performance.md. The scale
# benchmarks are checked against the thresholds committed in Benchmarks/Thresholds: more than a
# quarter slower (or bigger) fails; faster is reported, and bench-thresholds records it.
# `thresholds update` writes a benchmark's file with its name's spaces as underscores, and
# `thresholds check` looks for it under the name with spaces (ordo-one/benchmark issue 301, in
# 1.38.1), so the check reads copies named as it looks for them.
bench: deps
	@rm -rf Benchmarks/.build/thresholds && mkdir -p Benchmarks/.build/thresholds
	@for f in Benchmarks/Thresholds/*.p90.json; do \
	  cp "$$f" "Benchmarks/.build/thresholds/$$(basename "$$f" | tr '_' ' ')"; \
	done
	cd Benchmarks && { $(SWIFT) package --allow-writing-to-package-directory benchmark thresholds check --path .build/thresholds 2>&1; echo "exit $$?"; } | tee .build/bench.log
	@tail -n 1 Benchmarks/.build/bench.log | grep -q '^exit 0$$' \
	  || { grep -q 'BETTER than the defined thresholds' Benchmarks/.build/bench.log && ! grep -q 'WORSE than the defined thresholds' Benchmarks/.build/bench.log \
	       && echo "Faster than Benchmarks/Thresholds: 'make bench-thresholds' records the new figures."; }

# Records the scale benchmarks' figures on this machine as the thresholds (commit them with the
# machine and commit they came from in docs/performance.md).
bench-thresholds: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark thresholds update --filter "scale.*"

clean:
	rm -rf .build Benchmarks/.build

# The figures in docs/ that come from runs: rerun the quick blocks with this build and compare
# (scripts/doc-figures.py --list shows every block; --write regenerates them).
test-doc-figures: build
	ICC=$(CURDIR)/.build/debug/iccsim $(PYTHON) scripts/doc-figures.py --check

# The application sections of docs/scenarios.md equal what the application files say.
test-scenario-tables:
	@$(PYTHON) -c 'import yaml' 2>/dev/null || $(PYTHON) -m pip install -q pyyaml
	$(PYTHON) scripts/scenario-tables.py --check

# Regenerate the tables in docs/ that come from the code (the summary figures' registry).
doc-tables: build
	scripts/doc-tables.sh

# Re-embed Scenarios/city-center.yaml and its applications as the built-in default scenario.
default-scenario:
	scripts/embed-default-scenario.sh
