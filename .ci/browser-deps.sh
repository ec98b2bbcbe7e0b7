#!/usr/bin/env bash
# Install what tests/test_browser.py needs on a clean Debian machine (run as root).
# Idempotent: re-running it only re-checks the packages. Playwright's own browser download
# (`playwright install`) is not used: the test drives Debian's /usr/bin/chromium.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    echo "browser-deps.sh: must run as root (apt-get)" >&2
    exit 1
fi

# axe-core, the accessibility engine tests/test_site.py injects into every page: pinned by
# tests/a11y/package-lock.json, installed into tests/a11y/node_modules (Node.js and npm come
# with the machine; Debian's nodejs/npm otherwise).
a11y_deps() {
    local here
    here="$(cd "$(dirname "$0")/.." && pwd)/tests/a11y"
    if [ -f "$here/node_modules/axe-core/axe.min.js" ]; then
        echo "browser-deps.sh: axe-core already present"
        return
    fi
    if ! command -v npm >/dev/null; then
        apt-get update && apt-get install -y --no-install-recommends nodejs npm
    fi
    npm ci --prefix "$here" --no-audit --no-fund
}

if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi dejavu; then
    echo "browser-deps.sh: chromium and fonts already present: $(/usr/bin/chromium --version 2>/dev/null || true)"
    a11y_deps
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
# chromium pulls its shared libraries (nss, gtk, libasound, ...) as dependencies; the fonts
# give JupyterLab's text a face to render with, and fontconfig lets Chromium find it.
apt-get install -y --no-install-recommends \
    chromium \
    fonts-dejavu-core \
    fonts-liberation \
    fontconfig \
    ca-certificates
/usr/bin/chromium --version
a11y_deps
