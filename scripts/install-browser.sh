#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests when it is missing (needs root or sudo; never downloads
# a browser build of its own).
set -eu
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
  echo "chromium is not installed and this user cannot install it: the browser tests will be skipped" >&2
  exit 0
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq chromium >/dev/null
