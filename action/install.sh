#!/usr/bin/env bash
# Install crossvet from the action's own checkout into a private venv, and tell the next step
# which python to use. Nothing from the workflow's inputs reaches this script.
set -euo pipefail
: "${GITHUB_ACTION_PATH:?run this from action.yml}"
venv="${RUNNER_TEMP:-/tmp}/crossvet-venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$GITHUB_ACTION_PATH"
echo "python=$venv/bin/python" >> "${GITHUB_OUTPUT:-/dev/null}"
"$venv/bin/crossvet" --version
