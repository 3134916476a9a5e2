"""Data files: reading them (tables), typing their columns (dataset), text documents."""
