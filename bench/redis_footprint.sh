#!/usr/bin/env bash
# Bytes per object kayou keeps in Redis (docs/BENCHMARKS.md, "Scale on paper"): MEMORY USAGE of
# every key a real run wrote, grouped by what it is, as count, mean and max bytes. For keys that
# hold many small members (district queues, streams) the mean is per member.
#
#   bench/redis_footprint.sh <port>
#
# Fill a throwaway redis-server with what kayou really writes first, e.g. the integration suites
# that drive the real binary through joins, decisions, SMS and chat turns:
#   redis-server --port 6571 --save "" --appendonly no --daemonize yes
#   cd build && KAYOU_TEST_REDIS_PORT=6571 KAYOU_REFERENCE_DIR=$PWD/../tests/reference \
#     ctest -R 'JoinFlow|JoinStores|ReviewSteps|NotifySender|TurnRunner|ChatLegal' -j2
#   bench/redis_footprint.sh 6571
set -euo pipefail
port=${1:?usage: redis_footprint.sh <port>}
cli() { redis-cli -p "$port" "$@"; }

# One line per key: its bytes (MEMORY USAGE counts the key, the value and the dict entry).
usage_of() {
    cli --scan --pattern "$1" | while IFS= read -r key; do
        printf '%s\n' "$(cli MEMORY USAGE "$key" SAMPLES 0)"
    done
}

# label, pattern: keys that are one object each.
per_key() {
    usage_of "$2" | awk -v label="$1" '
        { n++; sum += $1; if ($1 > max) max = $1 }
        END { if (n) printf "%-34s %7d keys  mean %6.0f B  max %6d B\n", label, n, sum / n, max
              else printf "%-34s       0 keys\n", label }'
}

# label, pattern, member-count command: keys holding many objects; bytes per member.
per_member() {
    local bytes=0 members=0 key
    while IFS= read -r key; do
        bytes=$((bytes + $(cli MEMORY USAGE "$key" SAMPLES 0)))
        members=$((members + $(cli "$3" "$key")))
    done < <(cli --scan --pattern "$2")
    if [ "$members" -gt 0 ]; then
        printf '%-34s %7d members  %6.0f B each (all keys %d B)\n' "$1" "$members" \
            "$(echo "$bytes / $members" | bc -l)" "$bytes"
    else
        printf '%-34s       0 members\n' "$1"
    fi
}

echo "redis $(cli INFO server | awk -F: '/^redis_version/ {print $2}' | tr -d '\r'), \
used_memory $(cli INFO memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r') B, \
$(cli DBSIZE) keys"
per_key "chat session (conv:{c}:session)" '*conv:{*}:session'
per_key "join draft (conv:{d}:draft)" '*conv:{*}:draft'
per_key "dedupe reply (dedupe:{k})" '*dedupe:{*}'
per_key "application record (app:{id})" '*app:{RH*}'
per_key "  id-number index (idcard:{h})" '*idcard:{*}'
per_key "  mobile index (mobile:{h}:...)" '*mobile:{*}:application'
per_key "  chat index (driver:{d}:application)" '*driver:{*}:application'
per_member "  district sets (district:{d}:*)" '*district:{*}:*' ZCARD
per_key "outbox message ({sms}:msg:id)" '*{sms}:msg:*'
per_key "  idempotency key ({sms}:idem:k)" '*{sms}:idem:*'
per_key "  receipt index ({sms}:receipt:...)" '*{sms}:receipt:*'
per_member "  watch/delayed/unknown zsets" '*{sms}:[wdu][aen]*' ZCARD
per_member "  streams ({sms}:stream*; XDELed when sent)" '*{sms}:stream*' XLEN
