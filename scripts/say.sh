#!/usr/bin/env bash
# Talk to a running kayou through the signed group-bridge webhook (docs/bridge-protocol.md).
#   scripts/say.sh "帮助"                      a 1:1 message
#   KAYOU_ROOM=demo-room scripts/say.sh "@卡友小助手 入会"   a group message
set -euo pipefail
text=${1:?usage: say.sh TEXT}
url=${KAYOU_URL:-http://127.0.0.1:8080}
secret=${KAYOU_BRIDGE_SECRET:-kayou-demo-bridge-secret}
sender=${KAYOU_SENDER:-demo-driver}
timestamp=$(date +%s)
room=null
[[ -n "${KAYOU_ROOM:-}" ]] && room="{\"id\":\"$KAYOU_ROOM\",\"name\":\"卡友群\"}"
body=$(printf '{"message_id":"%s","timestamp":%s,"room":%s,"sender":{"id":"%s","name":"司机"},"mentioned_bot":false,"text":"%s"}' \
    "demo-$timestamp-$RANDOM" "$timestamp" "$room" "$sender" "$text")
signature=$(printf '%s' "$timestamp.$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)
curl -sS "$url/bridge/message" -H 'Content-Type: application/json' \
    -H "X-Kayou-Timestamp: $timestamp" -H "X-Kayou-Signature: sha256=$signature" \
    --data-binary "$body"
echo
