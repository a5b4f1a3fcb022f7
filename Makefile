# am335x-vp — two commands: `make run` and `make test` (see README.md).
BUILD       ?= build
BUILD_ASAN  ?= build-asan
BUILD_TYPE  ?= Release
JOBS        ?= 2
# Warnings are errors in CI (CI=true), warnings elsewhere.
WERROR      := $(if $(CI),ON,OFF)
ARGS        ?=
VP          := $(BUILD)/bin/am335x-vp

.PHONY: all setup configure build test run bench test-sanitize format check-format clean

all: build

setup:
	@tools/setup

configure: setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DVP_WERROR=$(WERROR) >/dev/null

build: configure
	@cmake --build $(BUILD) -j$(JOBS)

# Every test: unit, integration, config corpus, register scripts.
test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# The default simulation: the BeagleBone Black. Pass options with ARGS="--board beaglebone ...".
run: build
	@$(VP) $(ARGS)

# Benchmarks print their figures beside a baseline measured in the same run.
bench: build
	@for b in $(BUILD)/bin/*_bench; do echo "== $$b"; SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=DISABLE $$b; done

# The tests once more, built with AddressSanitizer and UndefinedBehaviorSanitizer.
test-sanitize: setup
	@cmake -S . -B $(BUILD_ASAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DVP_SANITIZE=ON \
	       -DVP_WERROR=$(WERROR) >/dev/null
	@cmake --build $(BUILD_ASAN) -j$(JOBS)
	@ASAN_OPTIONS=detect_leaks=0:detect_stack_use_after_return=0 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 ctest --test-dir $(BUILD_ASAN) --output-on-failure -j$(JOBS)

SOURCES = $(shell git ls-files '*.cpp' '*.h')
format:
	@clang-format -i $(SOURCES)

check-format:
	@clang-format --dry-run --Werror $(SOURCES) && echo "clang-format: clean"

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)
