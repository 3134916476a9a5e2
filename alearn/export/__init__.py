"""alearn.export.export."""
