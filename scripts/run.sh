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
  scripts/say.sh "帮助"          # talk to it through the group-bridge webhook
Stop with Ctrl-C.

INFO
exec build/bot/kayou --config "$config"
