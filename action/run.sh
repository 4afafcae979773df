#!/usr/bin/env bash
# The action's run step. Its inputs arrive as INPUT_* environment variables (action.yml `env:`),
# never spliced into this script, and crossvet.action reads them as data.
set -euo pipefail
exec "${CROSSVET_PYTHON:-python3}" -m crossvet.action
