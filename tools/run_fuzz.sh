#!/usr/bin/env bash
# run_fuzz.sh BUILD_DIR SECONDS: run every libFuzzer target built in BUILD_DIR for SECONDS each.
# The committed seeds (fuzz/corpus/<name>) are read, never written: new inputs go to a working
# corpus under BUILD_DIR, crash reproducers to BUILD_DIR/artifacts/<name>/. Fails on any crash.
set -euo pipefail
build=${1:?build dir}
seconds=${2:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
shopt -s nullglob
targets=("$build"/fuzz/fuzz_*)
if [[ ${#targets[@]} -eq 0 ]]; then
  echo "run_fuzz: no fuzz targets in $build/fuzz" >&2
  exit 1
fi
for bin in "${targets[@]}"; do
  [[ -x "$bin" && -f "$bin" ]] || continue
  name=${bin##*/fuzz_}
  work="$build/corpus/$name"
  artifacts="$build/artifacts/$name"
  mkdir -p "$work" "$artifacts"
  dict=()
  [[ -f "$root/fuzz/dict/$name.dict" ]] && dict=(-dict="$root/fuzz/dict/$name.dict")
  echo "== fuzz $name for ${seconds}s"
  if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" "${dict[@]}" "$work" "$root/fuzz/corpus/$name" \
      >"$build/fuzz-$name.log" 2>&1; then
    echo "run_fuzz: $name FAILED; log: $build/fuzz-$name.log" >&2
    tail -n 40 "$build/fuzz-$name.log" >&2
    status=1
  else
    grep -E '^stat::number_of_executed_units|^Done' "$build/fuzz-$name.log" | tr '\n' ' '; echo
  fi
done
exit $status
