"""Renderers: one module per output format, each with `render(diagnosis, **options) -> str`.

`RENDERERS` imports a format's module when it is asked for: the text renderer pulls in rich
(about 35 ms of start-up) and a JSON run never needs it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping


class _Renderers(Mapping):
    _MODULES = {"text": "as_text", "json": "as_json", "markdown": "as_markdown", "html": "as_html"}

    def __getitem__(self, fmt: str) -> Callable[..., str]:
        return importlib.import_module(f".{self._MODULES[fmt]}", __name__).render

    def __iter__(self) -> Iterator[str]:
        return iter(self._MODULES)

    def __len__(self) -> int:
        return len(self._MODULES)


RENDERERS: Mapping[str, Callable[..., str]] = _Renderers()
