#!/usr/bin/env bash
# `pnpm setup:system`: the system packages `pnpm test` needs beyond Node and pnpm. Today that is
# one: a Chromium for the dashboard's browser test (driven by playwright-core, which never
# downloads a browser of its own). On Debian/Ubuntu it installs Debian's `chromium` with apt-get
# (through sudo when not root); elsewhere it says what to install.
set -euo pipefail

if [[ -x /usr/bin/chromium || -n "${CHROMIUM_PATH:-}" ]]; then
  echo "setup: chromium present (${CHROMIUM_PATH:-/usr/bin/chromium})"
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [[ "$(id -u)" -ne 0 ]] && SUDO="sudo"
  echo "setup: installing chromium with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  echo "setup: chromium installed ($(/usr/bin/chromium --version 2>/dev/null || echo '/usr/bin/chromium'))"
  exit 0
fi
echo "setup: no apt-get here. Install Chromium or Chrome yourself and point CHROMIUM_PATH at its binary," >&2
echo "       e.g. CHROMIUM_PATH=\"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome\" on macOS." >&2
exit 1
