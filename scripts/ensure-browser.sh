#!/usr/bin/env bash
# Debian's Chromium for the dashboard's end-to-end test: installed when missing on CI
# (CI=true) where we are root or have sudo; elsewhere the test skips and says why.
set -u
if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "${CI:-}" != "true" ]; then
  echo "ensure-browser: no Chromium here; the browser test will skip (CI installs it)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "ensure-browser: not root, no sudo: browser test skips"; exit 0; }
  SUDO="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive
install() { $SUDO apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null 2>&1; }
echo "ensure-browser: installing Debian's chromium for the end-to-end test"
install || { $SUDO apt-get update >/dev/null 2>&1 && install; } \
  || echo "ensure-browser: Chromium could not be installed; the browser test will skip"
exit 0
