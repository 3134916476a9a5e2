"""alearn.data."""
