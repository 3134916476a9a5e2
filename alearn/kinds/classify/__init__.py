"""alearn.kinds.classify."""
