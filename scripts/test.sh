#!/usr/bin/env bash
# The project's test command: builds every module and runs every test (unit, reference and tool tests).
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -ntp verify "$@"
