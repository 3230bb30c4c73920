#!/bin/sh
# What the browser tests need from the system: Debian's Chromium (/usr/bin/chromium), `ip` (iproute2, for
# scripts/in-loopback.sh) and a CJK font (template titles are Chinese: without one the screenshots show
# boxes). Installed with apt-get when missing and running as root (CI, a fresh machine);
# otherwise says what to install. `npm run test:browser` and .ci/run call it.
set -eu
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v ip >/dev/null 2>&1 || missing="$missing iproute2"
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing="$missing fonts-wqy-microhei"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "browser-deps: installing$missing (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq $missing >&2
  exit 0
fi
echo "browser-deps: the browser tests need$missing: sudo apt-get install -y$missing (DEVELOPERS.md)" >&2
exit 1
