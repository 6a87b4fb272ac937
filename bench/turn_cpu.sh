#!/usr/bin/env bash
# CPU time per encrypted OA turn, for kayou, redis-server and the load generator, from
# /proc/<pid>/stat during a closed-loop run. On a shared VM whose speed drifts, this moves far
# less than turns/s, so compare binaries with it (alternate them: KAYOU_BIN=old, then new).
#   bench/turn_cpu.sh [seconds]          seconds of measurement (default 4) after a 2.5 s warm-up
# KAYOU_NO_BUILD=1 skips the build; KAYOU_BIN=path measures another kayou binary.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-4}
source bench/bench_redis.sh
{ cat bench/bench.yaml; printf 'redis:\n  host: 127.0.0.1\n  port: %s\n' "$redis_port"; } >"$work/kayou.yaml"
"${KAYOU_BIN:-build/bot/kayou}" --config "$work/kayou.yaml" 2>"$work/kayou.log" &
kayou_pid=$!
load_pid=
cleanup() { kill $load_pid "$kayou_pid" "$redis_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18080/readyz >/dev/null && break; sleep 0.1; done

turns() { curl -s http://127.0.0.1:18080/metrics | awk '/^kayou_dialog_turns_total/ {print $2}'; }
ticks() { awk '{print $14, $15}' "/proc/$1/stat"; }  # user, system (clock ticks)
build/bench/oa_load --port 18080 --connections 64 --seconds "$(echo "$seconds + 4" | bc)" >"$work/load.out" &
load_pid=$!
sleep 2.5  # the generator prepares its requests, the run settles
declare -A user_before system_before
for pid in "$kayou_pid" "$redis_pid" "$load_pid"; do
    read -r user_before[$pid] system_before[$pid] < <(ticks "$pid")
done
turns_before=$(turns)
sleep "$seconds"
turns_after=$(turns)
hz=$(getconf CLK_TCK)
done_turns=$((turns_after - turns_before))
echo "# $(date -u +%Y-%m-%dT%H:%MZ) ${KAYOU_BIN:-build/bot/kayou}: $done_turns turns in ${seconds} s ($((done_turns / seconds)) turns/s)"
for pid in "$kayou_pid" "$redis_pid" "$load_pid"; do
    read -r user system < <(ticks "$pid")
    awk -v name="$(cat "/proc/$pid/comm")" -v u=$((user - user_before[$pid])) \
        -v s=$((system - system_before[$pid])) -v hz="$hz" -v n="$done_turns" \
        'BEGIN {printf "%-14s user %6.1f us/turn  system %6.1f us/turn\n", name, u * 1e6 / hz / n, s * 1e6 / hz / n}'
done
wait "$load_pid" || true
load_pid=
