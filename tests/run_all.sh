#!/usr/bin/env bash
# Installs what the build needs (Debian 12, as root), builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/install_deps.sh
cmake --preset release
cmake --build --preset release -j2
ctest --preset release -j2
