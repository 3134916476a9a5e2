"""alearn.kinds.optimize."""
