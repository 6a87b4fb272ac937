#!/usr/bin/env bash
# The test command (README): installs what is missing, builds, starts a throwaway redis-server on
# a free loopback port for the integration tests, and runs every test with ctest.
#   scripts/test.sh              all tests
#   scripts/test.sh -L unit      only the unit tests (any ctest arguments are passed on)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/deps.sh --test
(cd tests/reference && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
scripts/build.sh

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
       shuf -i 20000-60000 -n 1)
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
    --daemonize no --logfile "$work/redis.log" &
redis_pid=$!
cleanup() {
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.1
done
redis-cli -p "$port" ping >/dev/null

export KAYOU_TEST_REDIS_PORT=$port
export KAYOU_REFERENCE_DIR="$root/tests/reference"
cd build
ctest --output-on-failure -j"${KAYOU_JOBS:-2}" "$@"
