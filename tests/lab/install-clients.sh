#!/bin/sh
# Install the lab's clients outside the repo (default /work/labclients): Claude Code from npm (node cli.js, with a
# bin/claude link as npm -g would make), the TypeScript SDK, and the Python SDK in a venv of Debian's python3.
# Usage: install-clients.sh [claude-VERSION | ts-sdk-VERSION | py-anthropic-VERSION] ...
set -eu
dest=${LAB_CLIENTS:-/work/labclients}
for c in "$@"; do
  v=${c##*-}
  case $c in
    claude-*)
      d=$dest/cc-$v
      mkdir -p "$d/bin"
      (cd "$d" && npm install --no-audit --no-fund "@anthropic-ai/claude-code@$v")
      if [ -f "$d/node_modules/@anthropic-ai/claude-code/cli.js" ]; then
        ln -sf ../node_modules/@anthropic-ai/claude-code/cli.js "$d/bin/claude"
      else  # native builds: the npm package installs a platform binary
        ln -sf "$(find "$d/node_modules/@anthropic-ai" -maxdepth 3 -type f -name claude | head -1)" "$d/bin/claude"
      fi ;;
    ts-sdk-*)
      mkdir -p "$dest/ts-$v" && (cd "$dest/ts-$v" && npm install --no-audit --no-fund "@anthropic-ai/sdk@$v") ;;
    py-anthropic-*)
      /usr/bin/python3 -m venv "$dest/py-$v/.venv" && "$dest/py-$v/.venv/bin/pip" install -q "anthropic==$v" ;;
    *) echo "unknown client $c" >&2; exit 2 ;;
  esac
done
