#!/usr/bin/env bash
# Installs what kayou needs to build, run and test, from Debian's packages (and the npm registry
# for the reference crypto used by the integration tests). Safe to run again: it installs only
# what is missing. --test adds Node.js and Debian's chromium, which the admin console's browser
# test drives through npm playwright-core (tests/reference; no browser is ever downloaded). It is
# pinned to 1.61, the last release that runs on Debian 12's own Node.js 18. --test also adds
# Debian's prometheus for its promtool, which checks /metrics (the package's own Prometheus
# server is not needed: where systemd runs, it is stopped and disabled right after the install),
# and python3 for the source checks (scripts/check_includes.py, scripts/check_function_length.py).
set -euo pipefail

packages=(build-essential cmake pkg-config libboost1.81-dev libhiredis-dev nlohmann-json3-dev
          libgtest-dev libssl-dev libyaml-cpp-dev libmimalloc-dev redis-server curl openssl)
if [[ "${1:-}" == "--test" ]]; then
    packages+=(nodejs npm chromium prometheus python3)
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$package")
done
# node and npm may come from outside Debian (the image's own Node); accept those.
if command -v node >/dev/null && command -v npm >/dev/null; then
    missing=("${missing[@]/nodejs/}")
    missing=("${missing[@]/npm/}")
fi
read -r -a missing <<<"${missing[*]}"

if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    sudo_cmd=()
    [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
    # Installing the package starts a Prometheus server on :9090 under systemd; only its
    # promtool is wanted here.
    if [[ " ${missing[*]} " == *" prometheus "* && -d /run/systemd/system ]]; then
        "${sudo_cmd[@]}" systemctl disable --now prometheus >/dev/null 2>&1 || true
    fi
fi
