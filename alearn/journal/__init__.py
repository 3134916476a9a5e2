"""The labeling journal: append-only events in a SQLite store, and what reads them.

Plain data and SQLite (pandas only when a table of labels is built; no model, no
data loading), so a tool that reads a store (``alearn labels``, ``alearn
export``) loads nothing else.
"""
