"""Renderers: one module per output format, each with `render(diagnosis, **options) -> str`."""
from __future__ import annotations

from . import as_json, as_text

RENDERERS = {
    "text": as_text.render,
    "json": as_json.render,
}
