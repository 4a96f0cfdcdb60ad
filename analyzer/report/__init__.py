"""Renderers: one module per output format, each with `render(diagnosis, **options) -> str`."""
from __future__ import annotations

from . import as_html, as_json, as_markdown, as_text

RENDERERS = {
    "text": as_text.render,
    "json": as_json.render,
    "markdown": as_markdown.render,
    "html": as_html.render,
}
