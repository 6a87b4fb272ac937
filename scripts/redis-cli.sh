#!/usr/bin/env bash
# redis-cli against the Redis a kayou config uses — the embedded one (its Unix socket, or the free
# port the running kayou wrote down) or the external one (host, port, database, password) — as
# kayou itself decides it (`kayou --print-redis`), so nobody guesses a socket or a port.
#   scripts/redis-cli.sh XRANGE kayou:audit - +               the admin audit log
#   scripts/redis-cli.sh --config FILE [--env-file FILE] GET kayou:code:global:h:2026120309
#   scripts/redis-cli.sh                                     an interactive redis-cli
# The config is --config, else $KAYOU_CONFIG, else /etc/kayou/kayou.yaml when it exists (a
# deployed host: then /etc/kayou/kayou.env is read for its "${NAME}" secrets; run as root), else
# the demo config of scripts/run.sh. Relative paths in a config resolve from the repository root,
# where scripts/run.sh starts kayou (KAYOU_WORKDIR changes that). The kayou binary is $KAYOU_BIN,
# else build/bot/kayou, else the kayou on PATH.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
config=${KAYOU_CONFIG:-}
env_file=${KAYOU_ENV_FILE:-}
while (($#)); do
    case "$1" in
    --config) config=$2; shift 2 ;;
    --env-file) env_file=$2; shift 2 ;;
    --) shift; break ;;
    *) break ;;
    esac
done
if [[ -z "$config" ]]; then
    if [[ -e /etc/kayou/kayou.yaml ]]; then
        config=/etc/kayou/kayou.yaml
        [[ -z "$env_file" && -e /etc/kayou/kayou.env ]] && env_file=/etc/kayou/kayou.env
    else
        config=$repo/config/kayou.demo.yaml
    fi
fi
config=$(realpath "$config")
kayou=${KAYOU_BIN:-}
if [[ -z "$kayou" ]]; then
    if [[ -x "$repo/build/bot/kayou" ]]; then kayou=$repo/build/bot/kayou
    else kayou=$(command -v kayou || true); fi
fi
if [[ -z "$kayou" ]]; then
    echo "redis-cli.sh: no kayou binary (build it, or set KAYOU_BIN)" >&2
    exit 1
fi
if [[ -n "$env_file" ]]; then
    if [[ ! -r "$env_file" ]]; then
        echo "redis-cli.sh: cannot read $env_file (run as root?)" >&2
        exit 1
    fi
    set -a
    # shellcheck disable=SC1090
    . "$env_file"
    set +a
fi

cd "${KAYOU_WORKDIR:-$repo}"
where=$("$kayou" --config "$config" --print-redis)
socket='' host='' port='' database=0 password='' cluster=''
while IFS= read -r line; do
    case "$line" in
    socket=*) socket=${line#socket=} ;;
    host=*) host=${line#host=} ;;
    port=*) port=${line#port=} ;;
    database=*) database=${line#database=} ;;
    password=*) password=${line#password=} ;;
    cluster=*) cluster=${line#cluster=} ;;
    esac
done <<<"$where"

args=()
if [[ -n "$socket" ]]; then
    if [[ ! -S "$socket" ]]; then
        echo "redis-cli.sh: no socket at $socket: is kayou running with $config?" >&2
        exit 1
    fi
    args=(-s "$socket")
else
    args=(-h "$host" -p "$port" -n "$database")
    # redis.cluster: follow -MOVED/-ASK from the seed to the node that holds the key.
    if [[ -n "$cluster" ]]; then args+=(-c); fi
fi
# The password goes through the environment, never the command line (ps shows that to all).
if [[ -n "$password" ]]; then export REDISCLI_AUTH=$password; fi
exec redis-cli "${args[@]}" "$@"
