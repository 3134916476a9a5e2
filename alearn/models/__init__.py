"""Compact models (placeholder until the per-model registry lands)."""

from __future__ import annotations

from dataclasses import dataclass

from alearn.registry import Registry


@dataclass(frozen=True)
class _Name:
    name: str
    help: str


MODELS: Registry = Registry("model", [
    _Name("logreg", "logistic regression (default)"), _Name("tree", "shallow decision tree"),
    _Name("nb", "naive Bayes")])
