"""alearn.models.factory."""
