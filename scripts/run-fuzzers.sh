#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD_DIR/fuzz for SECONDS each, on a scratch copy of its
# committed corpus. A crash leaves its input in fuzz/artifacts/ and fails the run.
set -euo pipefail
build_dir=${1:?usage: run-fuzzers.sh BUILD_DIR SECONDS}
seconds=${2:?usage: run-fuzzers.sh BUILD_DIR SECONDS}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/fuzz/artifacts"
status=0
for bin in "$build_dir"/fuzz/*_fuzzer; do
  name=$(basename "$bin" _fuzzer)
  scratch=$(mktemp -d)
  echo "fuzz: $name for ${seconds}s"
  if ! "$bin" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$root/fuzz/artifacts/${name}-" -print_final_stats=1 \
      "$scratch" "$root/fuzz/corpus/$name" >"$scratch.log" 2>&1; then
    echo "fuzz: $name FAILED; last lines of its log:"
    tail -n 40 "$scratch.log"
    status=1
  else
    grep -E 'stat::number_of_executed_units|Done [0-9]+ runs' "$scratch.log" | tail -n 2 | sed "s/^/fuzz: $name: /"
  fi
  rm -rf "$scratch" "$scratch.log"
done
exit $status
