#!/usr/bin/env bash
# Lays out Honors for a server:
#
#   scripts/install.sh PREFIX [--binary PATH]
#
#   PREFIX/bin/honors                      the release build (or the binary given)
#   PREFIX/share/honors/Resources, Public  its templates and static files (found beside the binary)
#   PREFIX/share/honors/BUILD              the commit it was built from (`honors --version`)
#   PREFIX/share/honors/deploy/            systemd units and the nginx site, their paths set to PREFIX
#
# Data and key stay outside PREFIX (the units use /var/lib/honors and /etc/honors); the steps to create the
# service user, the data folder and the key, and to enable the units, are printed at the end and explained in
# docs/deployment.md. Nothing outside PREFIX is touched.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() { echo "usage: scripts/install.sh PREFIX [--binary PATH]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
PREFIX=$1; shift
BINARY=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --binary) BINARY=${2:-}; [[ -n $BINARY ]] || usage; shift 2 ;;
        *) usage ;;
    esac
done
mkdir -p "$PREFIX"
PREFIX=$(cd "$PREFIX" && pwd)

if [[ -z $BINARY ]]; then
    (cd "$REPO" && swift build -c release --product honors)
    BINARY="$(cd "$REPO" && swift build -c release --show-bin-path)/honors"
fi
[[ -x $BINARY ]] || { echo "install: $BINARY is not an executable" >&2; exit 1; }

SHARE="$PREFIX/share/honors"
install -d "$PREFIX/bin" "$SHARE/deploy/nginx"
install -m 0755 "$BINARY" "$PREFIX/bin/honors"
rm -rf "$SHARE/Resources" "$SHARE/Public"
cp -R "$REPO/Resources" "$REPO/Public" "$SHARE/"
chmod -R u=rwX,go=rX "$SHARE/Resources" "$SHARE/Public"

commit=$(git -C "$REPO" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [[ $commit != unknown ]] && [[ -n $(git -C "$REPO" status --porcelain 2>/dev/null) ]]; then commit="$commit+changes"; fi
printf 'commit %s, built %s\n' "$commit" "$(date -u +%Y-%m-%d)" > "$SHARE/BUILD"

escaped=$(printf '%s' "$PREFIX" | sed 's/[#&\\]/\\&/g')   # the prefix as sed's replacement text
for unit in honors.service honors@.service; do
    sed "s#/opt/honors#$escaped#g" "$REPO/deploy/$unit" > "$SHARE/deploy/$unit"
done
cp "$REPO/deploy/honors.env.example" "$SHARE/deploy/"
cp "$REPO"/deploy/nginx/*.conf "$SHARE/deploy/nginx/"

echo "Installed $("$PREFIX/bin/honors" --version) into $PREFIX."
cat <<NEXT

To run it as a service (as root; see docs/deployment.md):

  useradd --system --home /var/lib/honors honors
  install -d -o honors -g honors -m 0700 /var/lib/honors
  install -d -m 0750 -g honors /etc/honors
  (umask 077; openssl rand -base64 32 > /etc/honors/secret.key) && chgrp honors /etc/honors/secret.key && chmod 0640 /etc/honors/secret.key
  install -m 0600 -g honors $SHARE/deploy/honors.env.example /etc/honors/honors.env   # then edit it
  install -m 0644 $SHARE/deploy/honors.service /etc/systemd/system/
  systemctl daemon-reload && systemctl enable --now honors

Several instances on PostgreSQL behind nginx: $SHARE/deploy/honors@.service and $SHARE/deploy/nginx/.
NEXT
