#!/usr/bin/env bash
# The run command (README): installs what is missing, builds, and starts kayou with the demo
# config: embedded Redis (data in var/redis), all four chat webhooks on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
config=${KAYOU_CONFIG:-config/kayou.demo.yaml}
cat <<INFO

kayou is starting with $config (embedded Redis, data in var/redis).
Try, in another terminal:
  curl http://127.0.0.1:8080/healthz
  curl http://127.0.0.1:8080/metrics
  scripts/say.sh "我要入会"      # talk to it through the group-bridge webhook (a 1:1 chat)
  KAYOU_ROOM=demo scripts/say.sh "@卡友小助手 帮助"     # the same in a group
  curl http://127.0.0.1:8080/dev/sms          # the SMS kayou would have sent (local sink)
  curl -H 'Authorization: Bearer kayou-demo-wujin' \
       'http://127.0.0.1:8080/admin/api/review/queue?district=wujin'   # review queue (武进区)
  curl -H 'Authorization: Bearer kayou-demo-wujin' -X POST \
       http://127.0.0.1:8080/admin/api/review/applications/<id>/approve  # -> SMS in /dev/sms
  curl -H 'Authorization: Bearer kayou-demo-editor' \
       http://127.0.0.1:8080/admin/api/content/faq/versions      # admin API (docs/admin-api.md)
Stop with Ctrl-C.

INFO
exec build/bot/kayou --config "$config"
