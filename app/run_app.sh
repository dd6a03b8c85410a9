#!/usr/bin/env bash
# Installs what the app needs (Debian 12, as root), builds it and launches it on the bundled sample.
# Without a display it renders the window offscreen to build/screenshot.png instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/install_deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j2
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec build/app/estatestream data/sample_listings.csv
fi
echo "no display: rendering the dashboard offscreen"
QT_QPA_PLATFORM=offscreen build/app/estatestream --screenshot build/screenshot.png data/sample_listings.csv
echo "wrote build/screenshot.png"
