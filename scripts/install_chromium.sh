#!/bin/sh
# Install Debian's headless-capable Chromium for the dashboard browser test (tests/dashboard).
# Idempotent and quick when /usr/bin/chromium is already there; needs root and apt (CI runs
# as root on Debian). Prints one line saying why it did nothing or failed, never prompts.
set -eu
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_chromium: apt-get not found; the browser test will be skipped" >&2
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "install_chromium: not root; install Debian's chromium package to run the browser test" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version
