#!/usr/bin/env bash
# Set up what the browser tests drive: Debian's Chromium (needs root or sudo; never downloads a browser
# build of its own) and a pinned axe-core from npm, the accessibility checker the tests inject into every
# page. axe-core goes to KEEPWARM_AXE_DIR (default .venv/axe, outside the source tree and gitignored);
# tests/e2e/conftest.py looks for it there and skips (or fails in CI) without it.
set -eu
cd "$(dirname "$0")/.."
AXE_VERSION=4.14.1
axe_dir="${KEEPWARM_AXE_DIR:-.venv/axe}"

install_axe() {
  local have
  have="$(node -p "require(require('path').resolve(process.argv[1], 'node_modules/axe-core/package.json')).version" \
    "$axe_dir" 2>/dev/null || true)"
  [ "$have" = "$AXE_VERSION" ] && return 0
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is not installed: the accessibility checks of the browser tests will be skipped" >&2
    return 0
  fi
  mkdir -p "$axe_dir"
  npm install --prefix "$axe_dir" --no-audit --no-fund --loglevel=error --save-exact "axe-core@$AXE_VERSION"
}

install_chromium() {
  command -v chromium >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    echo "chromium is not installed and this user cannot install it: the browser tests will be skipped" >&2
    return 0
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq chromium >/dev/null
}

install_axe
install_chromium
