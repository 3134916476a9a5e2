"""Accuracy estimates of a labeling session: audit rows drawn at random, gold labels,
and cross-validation, as plain numbers."""
