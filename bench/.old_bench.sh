#!/usr/bin/env bash
# Measures encrypted OA turns per second and latency: a throwaway redis-server, kayou with
# bench/bench.yaml, and bench/oa_load (closed loop for throughput, open loop at 5,000/s for p99).
#   bench/oa_bench.sh [seconds]
# KAYOU_PROCESSES=N runs N kayou processes on the port (server.reuse_port), sharing the Redis.
# KAYOU_NO_BUILD=1 skips the build; KAYOU_BIN=path runs another kayou binary (e.g. a saved copy
# of the previous commit, for back-to-back before/after figures).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
[[ -n "${KAYOU_NO_BUILD:-}" ]] || scripts/build.sh >/dev/null
work=$(mktemp -d)
redis_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
    --daemonize no --logfile "$work/redis.log" &
redis_pid=$!
processes=${KAYOU_PROCESSES:-1}
{
    if [[ $processes -gt 1 ]]; then sed 's/^server:/server:\n  reuse_port: true/' bench/bench.yaml; else cat bench/bench.yaml; fi
    printf 'redis:\n  host: 127.0.0.1\n  port: %s\n' "$redis_port"
} >"$work/kayou.yaml"
kayou_pids=()
for i in $(seq 1 "$processes"); do
    "${KAYOU_BIN:-build/bot/kayou}" --config "$work/kayou.yaml" 2>"$work/kayou.$i.log" &
    kayou_pids+=($!)
done
cleanup() { kill "${kayou_pids[@]}" "$redis_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18080/readyz >/dev/null && break; sleep 0.1; done
[[ $processes -gt 1 ]] && sleep 1  # the others listen too before the load connects

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $processes kayou process(es) + redis-server + load generator on one machine"
echo "## closed loop (throughput)"
build/bench/oa_load --port 18080 --connections 64 --seconds "$seconds"
echo "## open loop at 5,000 turns/s (latency)"
build/bench/oa_load --port 18080 --connections 64 --seconds "$seconds" --rate 5000
echo "## kayou counters"
curl -s http://127.0.0.1:18080/metrics | grep -E '^kayou_(dialog_turns|dedupe_hits)_total|^kayou_redis_errors'
