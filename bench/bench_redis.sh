# Sourced by the bench scripts: builds unless KAYOU_NO_BUILD is set, makes a scratch directory
# ($work) and starts a throwaway redis-server without persistence on a free port ($redis_port,
# $redis_pid). The caller removes $work and stops the server.
[[ -n "${KAYOU_NO_BUILD:-}" ]] || scripts/build.sh >/dev/null
work=$(mktemp -d)
redis_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
    --daemonize no --logfile "$work/redis.log" &
redis_pid=$!
