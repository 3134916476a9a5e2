"""alearn.engine."""
