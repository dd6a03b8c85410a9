#!/usr/bin/env bash
# Installs what the build needs (Debian 12, as root), builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 \
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-qpa-plugins libspdlog-dev libgtest-dev libgmock-dev \
    libbenchmark-dev cmake ninja-build g++ fonts-dejavu-core >/dev/null
fi
cmake --preset release
cmake --build --preset release -j2
ctest --preset release -j2
