"""Opening (or resuming) a labeling session: the template every session type
follows (`template.py`), its shared steps (`steps.py`), each type's opening and
settings, and the id and hidden columns."""
