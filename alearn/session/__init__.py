"""alearn.session.classes."""
