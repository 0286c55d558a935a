#!/usr/bin/env bash
# Make sure Debian's poppler-utils (pdfsig, pdftoppm, pdftotext) and zbar-tools (zbarimg) are present for the
# letter tests (tests/letters): they check the signed PDF with pdfsig and read the rendered page's QR code.
# Needs root (or passwordless sudo) and the package mirrors; when neither is available the letter tests
# fail naming the missing tool instead of passing silently.
set -uo pipefail
missing=()
command -v pdfsig >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
    || missing+=(poppler-utils)
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "ensure_letter_tools: installing ${missing[*]} for the letter tests"
SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
        echo "ensure_letter_tools: not root and no sudo; install them yourself (apt-get install ${missing[*]})" >&2
        exit 0
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/warga-letter-tools.log 2>&1 || {
    $SUDO apt-get update -q >/dev/null 2>&1 && \
    $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >>/tmp/warga-letter-tools.log 2>&1
} || echo "ensure_letter_tools: could not install ${missing[*]} (see /tmp/warga-letter-tools.log)" >&2
exit 0
