#!/usr/bin/env bash
# Runs the shell blocks of docs/vendor-quickstart.md (its English section),
# exactly as written, against the server in SHELF_SERVER, with `shelf` on
# the PATH, from the repository's root. TestQuickstart (internal/cli) starts
# a server and runs this; by hand:
#   shelf serve --demo --allow-private-webhooks & bash scripts/quickstart-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
script=$(awk '/^## English/{on=1} /^## 中文/{on=0} on && /^```sh$/{code=1; next} /^```$/{code=0} on && code' docs/vendor-quickstart.md)
[ -n "$script" ] || { echo "no sh blocks in docs/vendor-quickstart.md" >&2; exit 1; }
bash -euo pipefail -c "$script"
echo "quickstart: all steps passed"
