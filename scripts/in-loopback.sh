#!/bin/sh
# `sh scripts/in-loopback.sh <command> [args…]`: runs the command inside a network namespace holding only `lo`,
# so WebRTC media between test pages cannot leave the machine (and nothing else in the run can reach the
# network). As root `unshare -n`; elsewhere a user namespace, `unshare -rn`. `npm run test:browser` runs
# the browser tests in it, `npm run bench` the call-setup bench (DEVELOPERS.md says why).
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
run='ip link set lo up && cd "$0" && exec "$@"'

if [ "$#" -eq 0 ]; then
  echo "usage: sh scripts/in-loopback.sh <command> [args…]" >&2
  exit 2
fi
if ! command -v ip >/dev/null 2>&1; then
  echo "in-loopback: 'ip' not found; install iproute2 (apt-get install -y iproute2)" >&2
  exit 1
fi
for flags in -n -rn; do
  if unshare "$flags" true 2>/dev/null; then
    exec unshare "$flags" sh -c "$run" "$root" "$@"
  fi
done
echo "in-loopback: cannot create a network namespace (neither 'unshare -n' nor 'unshare -rn' is permitted here)." >&2
echo "The browser tests run only inside one; see DEVELOPERS.md (run as root, or enable unprivileged user namespaces)." >&2
exit 1
