#!/usr/bin/env bash
# Run the whole test suite: SQLite always; PostgreSQL through KEEPWARM_TEST_DATABASE_URL, or a throwaway
# server started here when the PostgreSQL server binaries are installed; the browser tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${KEEPWARM_TEST_DATABASE_URL:-}" ] && command -v pg_ctl >/dev/null 2>&1; then
  # shellcheck source=scripts/pg-throwaway.sh
  source scripts/pg-throwaway.sh
fi
mkdir -p test-artifacts
.venv/bin/python -m pytest -n "${KEEPWARM_TEST_WORKERS:-2}" "$@"
