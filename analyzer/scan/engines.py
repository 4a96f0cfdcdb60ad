"""Where bundles are analyzed: a local process pool, or a Dask cluster. Both run `work.run_bundle`."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from typing import Any

from .discover import Bundle
from .work import init_worker, run_bundle


def run_local(
    bundles: list[Bundle], jobs: int, rule_dirs: tuple[str, ...], disable: tuple[str, ...], limits: dict
) -> Iterator[dict[str, Any]]:
    """Records in completion order; `jobs` worker processes each load the rules once."""
    if jobs <= 1 or len(bundles) <= 1:
        init_worker(rule_dirs, disable, limits)
        for b in bundles:
            yield run_bundle(b.name, b.path, rule_dirs, disable, limits)
        return
    chunk = max(1, min(32, len(bundles) // (jobs * 16)))
    with multiprocessing.get_context(_start_method()).Pool(
        jobs, initializer=init_worker, initargs=(rule_dirs, disable, limits)
    ) as pool:
        try:
            yield from pool.imap_unordered(_run, [(b.name, b.path, rule_dirs, disable, limits) for b in bundles], chunk)
        except BaseException:
            pool.terminate()
            raise


def _run(args: tuple) -> dict[str, Any]:
    return run_bundle(*args)


def _start_method() -> str:
    # fork shares the parent's imported modules (fast start); elsewhere use the platform default.
    return "fork" if "fork" in multiprocessing.get_all_start_methods() and os.name == "posix" else "spawn"


def run_dask(
    bundles: list[Bundle], scheduler: Any, rule_dirs: tuple[str, ...], disable: tuple[str, ...], limits: dict
) -> Iterator[dict[str, Any]]:
    """The same per-bundle function on a Dask cluster. Paths are sent as absolute paths, so the
    workers must see the inputs at the same path (shared storage)."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise RuntimeError('the dask engine needs the "dask" extra: pip install "ccdiag[dask]"') from None
    client = scheduler if isinstance(scheduler, Client) else Client(scheduler, timeout="30s")
    try:
        futures = [
            client.submit(run_bundle, b.name, os.path.abspath(b.path), rule_dirs, disable, limits, pure=False)
            for b in bundles
        ]
        try:
            for fut in as_completed(futures):
                yield fut.result()
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        if client is not scheduler:
            client.close()
