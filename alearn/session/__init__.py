"""Labeling sessions: the shared machinery (base), class and measure sessions, the store."""
