#!/usr/bin/env bash
# bench.sh BUILD_DIR: run every benchmark binary (BUILD_DIR/tests/bench/bench_*) and print one
# table of medians and ratios. Benchmarks measure; they never pass or fail on timing.
set -euo pipefail
build=${1:?build dir}
cmake --build "$build" --target av_benchmarks >/dev/null 2>&1 || true
shopt -s nullglob
benches=("$build"/tests/bench/bench_*)
printf '%-48s %12s %12s %10s\n' "benchmark" "median" "baseline" "ratio"
if [[ ${#benches[@]} -eq 0 ]]; then
  echo "(no benchmarks yet)"
  exit 0
fi
for b in "${benches[@]}"; do
  if [[ -x "$b" && -f "$b" ]]; then "$b"; fi
done

# Issue 7: the ECS credential server under wrk against nginx (tests/bench/bench_server.sh; needs
# wrk, nginx and the Python with moto; about a minute).
cmake --build "$build" --target aws-vault >/dev/null 2>&1 || true
if [[ -x "$build/aws-vault" ]]; then
  "$(dirname "$0")/../tests/bench/bench_server.sh" "$build/aws-vault" || echo "(bench_server failed)"
fi
