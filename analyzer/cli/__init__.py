"""The `ccdiag` command: one module per subcommand, the group and `analyze` in `main`.

Only this package and the renderers it calls print; everything below it returns data.
"""

from __future__ import annotations

from .main import cli, main

__all__ = ["cli", "main"]
