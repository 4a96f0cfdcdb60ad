#!/bin/sh
# Run the captures listed in a plan ("GATEWAY CLIENT FAULT" per line; # comments), a few at a time: each run has its
# own network namespace, so their servers do not see each other.
# Usage: run-plan.sh [PLAN] [JOBS] [OUT]
set -eu
here=$(dirname "$0")
out=${3:-$here/..}
grep -v '^\s*#' "${1:-$here/plan.txt}" | grep -v '^\s*$' |
  xargs -P "${2:-3}" -L 1 sh -c 'python "$0/gw.py" run "$2" "$3" "$4" --out "$1"' "$here" "$out" 2>&1
