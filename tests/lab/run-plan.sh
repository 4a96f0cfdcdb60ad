#!/bin/sh
# Run the captures listed in a plan (lines "CLIENT MODE FAULT"; # comments), a few at a time: each run has its
# own network namespace, so they do not see each other's servers.
# Usage: run-plan.sh PLAN [JOBS] [OUT]
set -eu
here=$(dirname "$0")
out=${3:-$here/../data/lab-versions}
grep -v '^\s*#' "$1" | grep -v '^\s*$' |
  xargs -P "${2:-3}" -L 1 sh -c 'python "$0/lab.py" run "$2" "$3" "$4" --out "$1"' "$here" "$out" 2>&1
