#!/bin/sh
# Install the gateways and clients outside the repo (default /work/gwclients), as the captures were made.
set -eu
dest=${GW_CLIENTS:-/work/gwclients}
mkdir -p "$dest"
cd "$dest"
# LiteLLM proxy in its own venv; prisma so that its auth path does not crash on `import prisma` (no database is used)
/usr/bin/python3 -m venv litellm-venv
litellm-venv/bin/pip install -q 'litellm[proxy]==1.108.7' prisma==0.15.0
# claude-code-router: 3.1.1 (latest) needs @the-next-ai/ai-gateway, which the registry does not serve; 2.0.0 installs
mkdir -p ccr && (cd ccr && npm install --no-audit --no-fund @musistudio/claude-code-router@2.0.0)
for v in 2.1.5 2.0.76; do
  mkdir -p "cc-$v" && (cd "cc-$v" && npm install --no-audit --no-fund "@anthropic-ai/claude-code@$v")
done
id dev >/dev/null 2>&1 || useradd -u 1500 -M -d /home/dev -s /bin/bash dev   # the unprivileged client user
