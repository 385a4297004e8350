#!/bin/sh
# Run the libFuzzer target for SECONDS over the committed seeds
# (tests/fuzz/corpus, read only) and a working corpus in build/fuzz/corpus,
# where libFuzzer writes the inputs it finds interesting.  A finding is saved
# as build/fuzz/artifacts/crash-<sha1> (or timeout-, oom-, slow-unit-).
# Without -fork libFuzzer stops at the first finding; with -fork=N
# -ignore_crashes=1 ... it goes on and collects them all.  Either way the
# script lists the findings of this run and fails if there are any.  The
# target runs in build/fuzz/tmp, so that files the fuzzed programs write land
# there.
# Usage: tests/fuzz/run.sh SECONDS [libFuzzer flag ...]   (called by make fuzz)
set -eu
cd "$(dirname "$0")/../.."
root=$PWD
secs=${1:?usage: tests/fuzz/run.sh SECONDS [libFuzzer flag ...]}
shift
bin=$root/build/fuzz/tw_fuzz_pipeline
work=$root/build/fuzz/corpus
arts=$root/build/fuzz/artifacts
mkdir -p "$work" "$arts"
rm -rf build/fuzz/tmp
mkdir -p build/fuzz/tmp
stamp=build/fuzz/tmp/.start
touch "$stamp"
echo "== fuzz: $bin for ${secs}s over tests/fuzz/corpus + build/fuzz/corpus =="
# -timeout: an input the watchdog could not stop (C code with no check
#   point) within 10 s is a hang.  -rss_limit_mb: the whole process.
# -close_fd_mask=2: the fuzzed programs' stderr (their tracebacks) goes to
#   /dev/null; libFuzzer's and the sanitizers' reports still reach stderr.
# -detect_leaks=0: see __asan_default_options in fuzz_pipeline.c.
status=0
(cd build/fuzz/tmp && TWINPY_FUZZ_STATS=1 "$bin" \
  -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
  -close_fd_mask=2 -detect_leaks=0 -print_final_stats=1 \
  -dict="$root/tests/fuzz/python.dict" -artifact_prefix="$arts/" \
  "$@" "$work" "$root/tests/fuzz/corpus") || status=$?
found=$(find "$arts" -type f -newer "$stamp" | sort)
if [ -n "$found" ]; then
  echo "== fuzz: findings of this run (replay one: build/fuzz/tw_fuzz_pipeline FILE) =="
  echo "$found"
  exit 1
fi
exit "$status"
