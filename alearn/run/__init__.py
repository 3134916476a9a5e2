"""Batch simulation over tasks and seeds: the runner, the results files, the plot."""
