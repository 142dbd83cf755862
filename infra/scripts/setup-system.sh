#!/usr/bin/env bash
# `pnpm setup:system`: the system packages `pnpm test` needs beyond Node and pnpm: a Chromium for
# the dashboard's browser test (driven by playwright-core, which never downloads a browser of its
# own), and nginx, whose `nginx -t` checks the compose stack's proxy configuration. On
# Debian/Ubuntu it installs what is missing with apt-get (through sudo when not root; services are
# not started); elsewhere it says what to install.
set -euo pipefail

missing=()
if [[ -x /usr/bin/chromium || -n "${CHROMIUM_PATH:-}" ]]; then
  echo "setup: chromium present (${CHROMIUM_PATH:-/usr/bin/chromium})"
else
  missing+=(chromium)
fi
if command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]]; then
  echo "setup: nginx present"
else
  missing+=(nginx)
fi
[[ ${#missing[@]} -eq 0 ]] && exit 0

if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [[ "$(id -u)" -ne 0 ]] && SUDO="sudo"
  echo "setup: installing ${missing[*]} with apt-get"
  $SUDO apt-get update -qq
  # RUNLEVEL=1: Debian's nginx package must not start a server on port 80 here; only its binary is wanted.
  DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  echo "setup: installed ${missing[*]}"
  exit 0
fi
echo "setup: no apt-get here. Install ${missing[*]} yourself; for Chromium or Chrome, point CHROMIUM_PATH at its binary," >&2
echo "       e.g. CHROMIUM_PATH=\"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome\" on macOS." >&2
echo "       (Without nginx, the nginx -t check of infra/nginx/nginx.conf is skipped.)" >&2
exit 1
