"""Suggestions in the app: database rows → matching profiles, recomputing and rescoring suggestions,
weights staff can change, tuning from decisions, and the export of suggested pairs.

The scoring itself is the pure library ``matchmaker.matching``; this package is the only glue to it.
"""
from matchmaker.suggestions.operations import (
    LEARNING_FOLDS,
    apply_weights,
    current_weights,
    decision_counts,
    excluded_pairs,
    preview_weights,
    recompute_suggestions,
    rescore_response,
    tune_weights_from_decisions,
)
from matchmaker.suggestions.profiles import display_names, load_profiles, render_suggestion_reasons

__all__ = [
    "LEARNING_FOLDS", "apply_weights", "current_weights", "decision_counts", "display_names", "excluded_pairs", "load_profiles", "preview_weights",
    "recompute_suggestions", "render_suggestion_reasons", "rescore_response", "tune_weights_from_decisions",
]
