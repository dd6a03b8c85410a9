#!/usr/bin/env bash
# Installs the Debian 12 packages the build and the tests need (as root; does nothing otherwise).
# Used by app/run_app.sh and tests/run_all.sh.
set -euo pipefail
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 \
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-qpa-plugins libspdlog-dev libgtest-dev libgmock-dev \
    libbenchmark-dev cmake ninja-build g++ fonts-dejavu-core >/dev/null
fi
