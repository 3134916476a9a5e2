"""Labeling sessions: the shared core (`core`), class and measure sessions, their
views, and opening them (`opening`); the journal they write is :mod:`alearn.journal`."""
