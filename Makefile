# vntrace: the two commands are `make run` and `make test`. Both install what is missing first.
.DEFAULT_GOAL := help
SHELL := /bin/bash

JOBS ?= $(shell nproc)
RELEASE_DIR := build/release
ASAN_DIR := build/asan
FUZZ_DIR := build/fuzz
CMAKE_COMMON := -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
FUZZ_SECONDS ?= 20
FUZZ_LONG_SECONDS ?= 600

.PHONY: help deps release asan run test unit-test e2e fuzz-build fuzz-smoke fuzz bench format format-check clean

help:
	@echo "make run     build and start vntrace on http://127.0.0.1:8080 (installs missing packages first)"
	@echo "make test    build and run every test under ASan+UBSan, fuzz smoke, format check"
	@echo "make bench   build Release and run the benchmarks"
	@echo "make fuzz    run every libFuzzer target for FUZZ_LONG_SECONDS (default 600) each"

deps:
	@bash scripts/install-deps.sh

release: deps
	@cmake -S . -B $(RELEASE_DIR) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Release -DVNTRACE_TESTS=OFF >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS)

asan: deps
	@cmake -S . -B $(ASAN_DIR) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Debug -DVNTRACE_SANITIZE=ON -DVNTRACE_BENCH=OFF >/dev/null
	@cmake --build $(ASAN_DIR) -j $(JOBS)

# Starts the server on http://127.0.0.1:8080 with the SQLite file vntrace.db. The first run
# loads the demo data (printing one login per line, also kept in vntrace-demo-logins.txt) and
# creates an API key for the EPCIS endpoints; a failed load leaves no database behind.
run: release
	@set -o pipefail; if [ ! -f vntrace.db ]; then \
	  echo "Demo logins (ROLE EMAIL PASSWORD), also in vntrace-demo-logins.txt:"; \
	  if ! ./$(RELEASE_DIR)/vntrace demo --db vntrace.db | tee vntrace-demo-logins.txt; then \
	    rm -f vntrace.db vntrace.db-wal vntrace.db-shm vntrace-demo-logins.txt; exit 1; fi; \
	  ./$(RELEASE_DIR)/vntrace apikey create --db vntrace.db --label demo; \
	elif [ -f vntrace-demo-logins.txt ]; then \
	  echo "Demo logins (ROLE EMAIL PASSWORD):"; cat vntrace-demo-logins.txt; fi
	@./$(RELEASE_DIR)/vntrace serve --db vntrace.db --listen 127.0.0.1:8080

test: format-check unit-test e2e fuzz-smoke
	@echo "make test: all suites passed"

unit-test: asan
	@cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

# Browser tests of the producer web app (tests/e2e, playwright-core with Debian's Chromium)
# against the ASan build; about a minute. Skips with a message without Chromium, fails in CI.
e2e: asan
	@cd tests/e2e && if [ ! -d node_modules ]; then npm ci --no-audit --no-fund; fi
	@VNTRACE_BIN=$(CURDIR)/$(ASAN_DIR)/vntrace VNTRACE_E2E_ARTIFACTS=$(CURDIR)/build/e2e-artifacts \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 bash tests/e2e/run.sh; rc=$$?; \
	  if [ $$rc -eq 77 ]; then echo "e2e: skipped (no Chromium)"; elif [ $$rc -ne 0 ]; then exit $$rc; fi

fuzz-build: deps
	@cmake -S . -B $(FUZZ_DIR) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DVNTRACE_FUZZ=ON -DVNTRACE_TESTS=OFF -DVNTRACE_BENCH=OFF >/dev/null
	@cmake --build $(FUZZ_DIR) -j $(JOBS)

fuzz-smoke: fuzz-build
	@bash scripts/run-fuzzers.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

fuzz: fuzz-build
	@bash scripts/run-fuzzers.sh $(FUZZ_DIR) $(FUZZ_LONG_SECONDS)

bench: deps
	@cmake -S . -B $(RELEASE_DIR) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Release -DVNTRACE_TESTS=OFF >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS)
	@taskset -c 0 ./$(RELEASE_DIR)/bench/gs1_bench --benchmark_min_time=1
	@taskset -c 0 ./$(RELEASE_DIR)/bench/epcis_bench --benchmark_min_time=1
	@./$(RELEASE_DIR)/bench/store_bench --benchmark_min_time=1

format:
	@git ls-files -- '*.cpp' '*.hpp' | xargs clang-format -i

format-check: deps
	@files=$$(git ls-files -- '*.cpp' '*.hpp'); \
	if [ -n "$$files" ]; then clang-format --dry-run --Werror $$files; fi
	@echo "format-check: ok"

clean:
	rm -rf build
