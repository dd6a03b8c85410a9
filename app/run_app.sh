#!/usr/bin/env bash
# Installs what the app needs (Debian 12, as root), builds it and launches it on the bundled sample.
# Without a display it renders the window offscreen to build/screenshot.png instead.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 \
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-qpa-plugins libspdlog-dev libgtest-dev libgmock-dev \
    cmake ninja-build g++ fonts-dejavu-core >/dev/null
fi
cmake --preset release >/dev/null
cmake --build --preset release -j2
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec build/app/estatestream data/sample_listings.csv
fi
echo "no display: rendering the dashboard offscreen"
QT_QPA_PLATFORM=offscreen build/app/estatestream --screenshot build/screenshot.png data/sample_listings.csv
echo "wrote build/screenshot.png"
