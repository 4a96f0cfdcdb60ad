"""Batch mode: many independent bundles, one report each, and a fleet summary.

discover (which paths are bundles) -> work (one bundle -> one record, in any process)
-> local pool or dask engine -> db (resumable results) -> output (jsonl / table / csv, summary).
"""
