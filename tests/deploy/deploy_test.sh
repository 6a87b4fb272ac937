#!/usr/bin/env bash
# README "Deploying under systemd", end to end without systemd: scripts/install.sh stages the
# install under a temporary root, then this runs the unit's own ExecStartPre and ExecStart lines
# (paths moved under that root), from its WorkingDirectory, with its EnvironmentFile, against a
# real external redis-server with a password — the example config changed only in its ports. It
# runs as the invoking user: switching to the unit's User= and its sandboxing is systemd's part.
# It checks: --check-config passes, kayou gets ready on the external Redis (content seeded there),
# scripts/redis-cli.sh finds that Redis, /metrics passes promtool, SIGTERM exits 0; and a
# broken flow file stops ExecStartPre with the file's name.
#   tests/deploy/deploy_test.sh [path/to/kayou]        (ctest: deploy_systemd_unit)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
binary=$(realpath "${1:-$repo/build/bot/kayou}")
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in redis-server redis-cli curl openssl; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/deps.sh)"
done
command -v promtool >/dev/null || fail "promtool is not installed (scripts/deps.sh --test installs Debian's prometheus)"

root=$(mktemp -d)
redis_pid='' kayou_pid=''
cleanup() {
    if [[ -n "$kayou_pid" ]]; then kill "$kayou_pid" 2>/dev/null || true; fi
    if [[ -n "$redis_pid" ]]; then kill "$redis_pid" 2>/dev/null || true; fi
    wait 2>/dev/null || true
    rm -rf "$root"
}
trap cleanup EXIT

# Waits up to $1 seconds for the command after it to succeed.
within() {
    local seconds=$1; shift
    local give_up=$((SECONDS + seconds))
    until "$@"; do
        ((SECONDS < give_up)) || return 1
        sleep 0.1
    done
}

DESTDIR=$root KAYOU_BINARY=$binary "$repo/scripts/install.sh" >/dev/null
unit=$root/etc/systemd/system/kayou.service
[[ -f "$unit" ]] || fail "install.sh did not install the unit"
unit_value() { sed -n "s/^$1=//p" "$unit"; }
# The unit's absolute paths, moved under the staging root.
staged() { sed -e "s#/etc/kayou#$root/etc/kayou#g" -e "s#/usr/local#$root/usr/local#g"; }
exec_start_pre=$(unit_value ExecStartPre | staged)
exec_start=$(unit_value ExecStart | staged)
work_dir=$(unit_value WorkingDirectory | staged)
env_file=$(unit_value EnvironmentFile | staged)
[[ -n "$exec_start" && -n "$exec_start_pre" && -d "$work_dir" && -f "$env_file" ]] ||
    fail "the unit's ExecStart, ExecStartPre, WorkingDirectory or EnvironmentFile is missing"
config=$root/etc/kayou/kayou.yaml
# Installed, not found in the source tree kayou was built from (its fallback for relative paths).
[[ -f "$work_dir/faq/data/intents.yaml" ]] || fail "the intent script is not in the working directory"
# systemd's own check of the unit, its paths moved under the root (so its binary is there).
if command -v systemd-analyze >/dev/null; then
    staged <"$unit" >"$root/kayou.service"
    verified=$(systemd-analyze verify "$root/kayou.service" 2>&1) || fail "systemd-analyze: $verified"
    [[ -z "$verified" ]] || fail "systemd-analyze verify: $verified"
fi
grep -q "^KAYOU_DATA_KEY=.\{44\}$" "$env_file" || fail "install.sh did not generate a data key"

# The external Redis, with a password as a careful operator sets one.
redis_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
password=$(openssl rand -hex 16)
redis-server --port "$redis_port" --bind 127.0.0.1 --requirepass "$password" --save "" \
    --appendonly no --dir "$root" --daemonize no --logfile "$root/redis.log" &
redis_pid=$!
within 10 env REDISCLI_AUTH="$password" redis-cli -p "$redis_port" ping >/dev/null 2>&1 ||
    fail "redis-server did not start"
sed -i "s|^KAYOU_REDIS_PASSWORD=.*|KAYOU_REDIS_PASSWORD=$password|" "$env_file"

# The example config as installed, its paths moved under the root and free ports.
staged <"$config" >"$config.new" && mv "$config.new" "$config"
sed -i -e "s/^  port: 8080/  port: 0/" -e "s/^  metrics_port: 9101/  metrics_port: 0/" \
    -e "s/^  port: 6379/  port: $redis_port/" "$config"
grep -q "port: $redis_port" "$config" || fail "the example config has no redis.port 6379 to point at the test Redis"

# Installing again (an upgrade) keeps the operator's config and secrets.
key_before=$(grep '^KAYOU_DATA_KEY=' "$env_file")
DESTDIR=$root KAYOU_BINARY=$binary "$repo/scripts/install.sh" >/dev/null
grep -q "port: $redis_port" "$config" || fail "a second install.sh overwrote kayou.yaml"
[[ $(grep '^KAYOU_DATA_KEY=' "$env_file") == "$key_before" ]] ||
    fail "a second install.sh replaced the data key"

cd "$work_dir"
set -a
# shellcheck disable=SC1090
. "$env_file"
set +a
check_output=$(eval "$exec_start_pre" 2>&1) || fail "ExecStartPre failed: $check_output"
grep -q "config ok" <<<"$check_output" || fail "ExecStartPre did not say config ok: $check_output"

# exec: the background job is kayou itself, so SIGTERM reaches it as systemd sends it.
eval "exec $exec_start" 2>"$root/kayou.log" &
kayou_pid=$!
started() { grep -q '"event":"started"' "$root/kayou.log"; }
within 20 started || fail "kayou did not start: $(cat "$root/kayou.log")"
port=$(grep '"event":"started"' "$root/kayou.log" | sed -n 's/.*"port":\([0-9]*\).*/\1/p')
metrics_port=$(grep '"event":"started"' "$root/kayou.log" | sed -n 's/.*"metrics_port":\([0-9]*\).*/\1/p')
[[ -n "$port" && -n "$metrics_port" ]] || fail "no ports in the started line"
ready() { [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$metrics_port/readyz") == 200 ]]; }
within 20 ready || fail "/readyz did not answer 200: $(cat "$root/kayou.log")"
[[ $(curl -s "http://127.0.0.1:$port/healthz") == ok ]] || fail "/healthz on the main port"
grep -q '"event":"embedded_redis_started"' "$root/kayou.log" && fail "kayou started its own Redis"

# The FAQ seeds reached the external Redis, and scripts/redis-cli.sh finds it from the config.
seeded() { grep -q '"event":"content_seeded"' "$root/kayou.log"; }
within 20 seeded || fail "no content seeded: $(cat "$root/kayou.log")"
pong=$(KAYOU_BIN=$binary "$repo/scripts/redis-cli.sh" --config "$config" --env-file "$env_file" PING)
[[ "$pong" == PONG ]] || fail "scripts/redis-cli.sh: $pong"
keys=$(KAYOU_BIN=$binary "$repo/scripts/redis-cli.sh" --config "$config" --env-file "$env_file" \
    --scan --pattern 'kayou:content:*' | wc -l)
((keys > 0)) || fail "no kayou:content:* keys in the external Redis"

curl -sf "http://127.0.0.1:$metrics_port/metrics" >"$root/metrics.txt" || fail "/metrics"
promtool check metrics <"$root/metrics.txt" || fail "promtool check metrics failed on /metrics"

kill -TERM "$kayou_pid"
status=0
wait "$kayou_pid" || status=$?
kayou_pid=
((status == 0)) || fail "kayou exited $status after SIGTERM"
grep -q '"event":"stopped"' "$root/kayou.log" || fail "no stopped line after SIGTERM"

# An operator's typo in the flow script: ExecStartPre stops the start and names the file.
echo "steps: [unclosed" >>"$root/etc/kayou/flows/join.yaml"
if broken=$(eval "$exec_start_pre" 2>&1); then fail "ExecStartPre passed a broken flow file"; fi
grep -q "flows/join.yaml" <<<"$broken" || fail "ExecStartPre did not name the flow file: $broken"
echo "deploy test passed: ExecStart ran the example config against an external redis-server"
