"""`ccdiag collect`: probe the path to the API from the user's machine and write a support bundle.

One module per probe family (environment, settings, local tools, DNS, TCP, proxy, TLS,
HTTP, curl), a curl-like transcript and an s_client-like renderer so the bundle is in
formats ccdiag itself parses, the collector that runs them in order, and the bundle
writer that redacts and zips. Probes see the machine only through `world.World`.
"""

from __future__ import annotations

from .collector import Collected, Options, collect, plan
from .world import World

__all__ = ["Collected", "Options", "World", "collect", "plan"]
