# Thin wrapper over the CMake presets.  See README.md.
#   make test   build gil, nogil, gil-debug, nogil-debug and run every test on each,
#               then fuzz the interpreter for 60 s (make fuzz)
#   make tsan   build nogil-tsan and run every test under ThreadSanitizer
#   make bench  build gil and nogil and run the comparison suite on both and on
#               python3 (bench/run; docs/benchmarks.md); BENCH_ARGS adds options
#   make bench-quick  the same suite, small and once (a smoke test; CI runs it)
#   make bench-micro  the C micro-benchmarks of both builds (bench/micro-compare)
#   make fuzz   build the fuzz preset and fuzz the interpreter for 60 s
#   make fuzz-long  FUZZ_SECONDS (default 1200) on FUZZ_JOBS processes, going on past findings;
#               FUZZ_FLAGS adds libFuzzer flags to either
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
TEST_PRESETS = gil nogil gil-debug nogil-debug

.PHONY: all deps deps-bench test tsan bench bench-quick bench-micro fuzz fuzz-long build-% test-% clean format

all: build-gil build-nogil

deps:
	@sh cmake/deps.sh

deps-bench:
	@sh cmake/deps.sh bench

build-%: deps
	@cmake --preset $* >/dev/null
	@cmake --build --preset $* -j $(JOBS)

test-%: build-%
	@echo "== ctest: $* =="
	@ctest --preset $* -j $(JOBS)

test: $(addprefix build-,$(TEST_PRESETS))
	@set -e; for p in $(TEST_PRESETS); do \
	  echo "== ctest: $$p =="; ctest --preset $$p -j $(JOBS); done
	@$(MAKE) --no-print-directory fuzz

# clang 14's TSan runtime cannot map its shadow memory when the kernel
# randomises mmap with more than 28 bits; setarch -R turns ASLR off for the
# test processes only.
tsan: build-nogil-tsan
	@echo "== ctest: nogil-tsan =="
	@setarch $$(uname -m) -R ctest --preset nogil-tsan -j $(JOBS)

# The suite writes bench/results/latest.{json,md} and the plots; the quick
# run writes to build/bench-quick/ so that it leaves the committed results
# alone, and fails if any workload fails on any interpreter.
BENCH_ARGS ?=

bench: deps-bench build-gil build-nogil
	@python3 bench/run $(BENCH_ARGS)

bench-quick: deps-bench build-gil build-nogil
	@python3 bench/run --quick --strict --out build/bench-quick $(BENCH_ARGS)

bench-micro: build-gil build-nogil
	@sh bench/micro-compare build/gil/tw_micro build/nogil/tw_micro

# tests/fuzz/README.md: libFuzzer over tokenizer -> parser -> compiler -> a
# bounded run, with ASan and UBSan.  New interesting inputs go to
# build/fuzz/corpus (never into the committed seeds), crashes to
# build/fuzz/artifacts/.
# `fuzz` stops at the first finding (a gate); `fuzz-long` runs libFuzzer's
# fork mode, which records every finding and goes on.
FUZZ_SECONDS ?= 1200
FUZZ_JOBS ?= $(JOBS)
FUZZ_FLAGS ?=

fuzz: build-fuzz
	@sh tests/fuzz/run.sh 60 $(FUZZ_FLAGS)

fuzz-long: build-fuzz
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) -fork=$(FUZZ_JOBS) \
	  -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 $(FUZZ_FLAGS)

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build
