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
source bench/bench_redis.sh
processes=${KAYOU_PROCESSES:-1}
{
    if [[ $processes -gt 1 ]]; then sed 's/^server:/server:\n  reuse_port: true/' bench/bench.yaml; else cat bench/bench.yaml; fi
    printf 'redis:\n  host: 127.0.0.1\n  port: %s\n' "$redis_port"
} >"$work/kayou.yaml"
kayou_pids=()
metrics_ports=()
for i in $(seq 1 "$processes"); do
    metrics_ports+=($((18090 + i)))  # each process's own /metrics (server.metrics_port)
    "${KAYOU_BIN:-build/bot/kayou}" --config "$work/kayou.yaml" --metrics-port "${metrics_ports[-1]}" \
        2>"$work/kayou.$i.log" &
    kayou_pids+=($!)
done
cleanup() { kill "${kayou_pids[@]}" "$redis_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for metrics_port in "${metrics_ports[@]}"; do  # every process is listening before the load
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$metrics_port/readyz" >/dev/null && break; sleep 0.1; done
done

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $processes kayou process(es) + redis-server + load generator on one machine"
echo "## closed loop (throughput)"
build/bench/oa_load --port 18080 --connections 64 --seconds "$seconds"
echo "## open loop at 5,000 turns/s (latency)"
build/bench/oa_load --port 18080 --connections 64 --seconds "$seconds" --rate 5000
echo "## kayou counters, summed over the processes' own metrics ports"
for metrics_port in "${metrics_ports[@]}"; do curl -s "http://127.0.0.1:$metrics_port/metrics"; done |
    awk '/^kayou_(dialog_turns|dedupe_hits)_total|^kayou_redis_errors_total/ {sum[$1] += $2}
         END {for (name in sum) print name, sum[name]}' | sort
