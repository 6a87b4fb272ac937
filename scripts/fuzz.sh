#!/usr/bin/env bash
# Builds the channel codecs' libFuzzer targets with clang++-14 (ASan + UBSan) into build-fuzz/ and
# runs each for N seconds (default 30), starting from the seeds in fuzz/corpus/<target>/.
#
#   scripts/fuzz.sh [seconds] [target...]     targets: wechat_xml wecom_bot_json bridge_json query
#
# New inputs libFuzzer finds go to build-fuzz/corpus/<target>/ (the committed seeds stay small);
# a crash leaves build-fuzz/artifacts/<target>-crash-* and makes this script exit non-zero.
# Needs clang-14 and libclang-rt-14-dev (libFuzzer's runtime): apt-get install -y clang-14 libclang-rt-14-dev
# Env: CXX (default clang++-14), JOBS (build parallelism, default 1), FUZZ_MAX_LEN (default 4096).
set -euo pipefail

seconds="${1:-30}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(wechat_xml wecom_bot_json bridge_json query)
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-fuzz"
cxx="${CXX:-clang++-14}"

# fuzzer-no-link instruments the libraries under test (kayou_channels, kayou_text, kayou_crypto)
# for coverage; only the fuzz executables link libFuzzer's main (fuzz/CMakeLists.txt).
cmake -S "$root" -B "$build" \
  -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DKAYOU_BUILD_FUZZ=ON -DKAYOU_BUILD_TESTS=OFF -DKAYOU_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
  >/dev/null

for target in "${targets[@]}"; do
  cmake --build "$build" -j"${JOBS:-1}" --target "fuzz_$target"
done

mkdir -p "$build/artifacts"
status=0
for target in "${targets[@]}"; do
  work="$build/corpus/$target"
  mkdir -p "$work"
  echo "== fuzz_$target for ${seconds}s"
  if ! "$build/fuzz/fuzz_$target" \
      -max_total_time="$seconds" \
      -max_len="${FUZZ_MAX_LEN:-4096}" \
      -timeout=10 \
      -rss_limit_mb=2048 \
      -print_final_stats=1 \
      -artifact_prefix="$build/artifacts/$target-" \
      "$work" "$root/fuzz/corpus/$target" 2>"$build/fuzz_$target.log"; then
    echo "fuzz_$target FAILED: see $build/fuzz_$target.log and $build/artifacts/" >&2
    tail -40 "$build/fuzz_$target.log" >&2
    status=1
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE" "$build/fuzz_$target.log" || true
done
exit $status
