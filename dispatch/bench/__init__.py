"""Benchmarks for the dispatch engine: Solomon / Gehring & Homberger VRPTW and a synthetic city.

Run ``python -m dispatch.bench --help``; see README.md in this folder.
"""
