#!/usr/bin/env bash
# Installs a built kayou (scripts/build.sh) for systemd, as README "Deploying under systemd" says:
#   /usr/local/bin/kayou                 the binary
#   /usr/local/share/kayou/faq/data      FAQ seeds and the intent script (the unit's working dir)
#   /etc/kayou/kayou.yaml                deploy/kayou.yaml: external redis-server on 127.0.0.1
#   /etc/kayou/kayou.env                 secrets, with a fresh privacy.data_key (mode 0640)
#   /etc/kayou/{flows,calendar}/, districts.yaml, sms-templates.yaml   files operators edit
#   /etc/systemd/system/kayou.service    deploy/kayou.service
# and the system user kayou. Files under /etc/kayou that exist are never overwritten (an upgrade
# keeps the operator's edits; only calendar years not there yet are added). The binary, the seeds
# and the unit are replaced. It does not start anything: systemctl enable --now kayou does.
#
#   sudo scripts/install.sh                       install
#   DESTDIR=/tmp/root scripts/install.sh          stage under /tmp/root (no user, no chown)
#   KAYOU_BINARY=path scripts/install.sh          another binary than build/bot/kayou
set -euo pipefail
cd "$(dirname "$0")/.."
destdir=${DESTDIR:-}
binary=${KAYOU_BINARY:-build/bot/kayou}
if [[ ! -x "$binary" ]]; then
    echo "install.sh: $binary not found: run scripts/build.sh first" >&2
    exit 1
fi
if [[ -z "$destdir" && $(id -u) -ne 0 ]]; then
    echo "install.sh: run as root (sudo scripts/install.sh), or set DESTDIR to stage" >&2
    exit 1
fi

bin_dir=$destdir/usr/local/bin
share_dir=$destdir/usr/local/share/kayou
etc_dir=$destdir/etc/kayou
unit_dir=$destdir/etc/systemd/system

# Copies $1 to $2 unless $2 exists (operator-edited files).
install_once() {
    if [[ -e "$2" ]]; then
        echo "kept      $2"
    else
        install -D -m 0644 "$1" "$2"
        echo "installed $2"
    fi
}

install -D -m 0755 "$binary" "$bin_dir/kayou"
echo "installed $bin_dir/kayou"
rm -rf "$share_dir/faq/data"
mkdir -p "$share_dir/faq"
cp -r faq/data "$share_dir/faq/data"
chmod -R u=rwX,go=rX "$share_dir"
echo "installed $share_dir/faq/data"

# Explicit modes: the user kayou reads these whatever root's umask is.
install -d -m 0755 "$etc_dir" "$etc_dir/flows" "$etc_dir/calendar"
install_once deploy/kayou.yaml "$etc_dir/kayou.yaml"
install_once config/districts.yaml "$etc_dir/districts.yaml"
install_once config/sms-templates.yaml "$etc_dir/sms-templates.yaml"
for flow in config/flows/*.yaml; do
    install_once "$flow" "$etc_dir/flows/$(basename "$flow")"
done
for year in config/calendar/*.yaml; do
    install_once "$year" "$etc_dir/calendar/$(basename "$year")"
done
if [[ ! -e "$etc_dir/kayou.env" ]]; then
    key=$(openssl rand -base64 32)
    (umask 0077 && sed "s|^KAYOU_DATA_KEY=.*|KAYOU_DATA_KEY=$key|" deploy/kayou.env >"$etc_dir/kayou.env")
    echo "installed $etc_dir/kayou.env (a new privacy.data_key: keep a copy offline)"
else
    echo "kept      $etc_dir/kayou.env"
fi
install -D -m 0644 deploy/kayou.service "$unit_dir/kayou.service"
echo "installed $unit_dir/kayou.service"

if [[ -z "$destdir" ]]; then
    if ! id kayou >/dev/null 2>&1; then
        useradd --system --user-group --home-dir /var/lib/kayou --no-create-home \
            --shell /usr/sbin/nologin kayou
        echo "created the system user kayou"
    fi
    chown root:kayou "$etc_dir/kayou.env"
    chmod 0640 "$etc_dir/kayou.env"
    systemctl daemon-reload 2>/dev/null || echo "(no systemd running: daemon-reload skipped)"
fi
