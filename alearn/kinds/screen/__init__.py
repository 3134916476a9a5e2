"""alearn.kinds.screen."""
