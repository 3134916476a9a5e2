"""alearn.run."""
