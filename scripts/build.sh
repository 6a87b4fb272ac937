#!/usr/bin/env bash
# Configures and builds kayou into build/ (RelWithDebInfo). Extra arguments go to CMake.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${KAYOU_JOBS:-2}
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build -j"$jobs"
