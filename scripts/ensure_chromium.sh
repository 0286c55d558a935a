#!/usr/bin/env bash
# Make sure Debian's `chromium` is present for the browser test (tests/e2e); install it when missing.
# Needs root (or passwordless sudo) and the package mirrors; when neither is available the browser
# test reports Chromium as missing instead of passing silently.
set -uo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    exit 0
fi
echo "ensure_chromium: installing Debian's chromium for the browser test"
SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
        echo "ensure_chromium: not root and no sudo; install chromium yourself (apt-get install chromium)" >&2
        exit 0
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q --no-install-recommends chromium >/tmp/warga-chromium-install.log 2>&1 || {
    $SUDO apt-get update -q >/dev/null 2>&1 && \
    $SUDO apt-get install -y -q --no-install-recommends chromium >>/tmp/warga-chromium-install.log 2>&1
} || echo "ensure_chromium: could not install chromium (see /tmp/warga-chromium-install.log)" >&2
exit 0
