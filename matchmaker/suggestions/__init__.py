"""Suggestions in the app: database rows → matching profiles, recomputing and rescoring suggestions,
weights staff can change, tuning from decisions, and the export of suggested pairs.

The scoring itself is the pure library ``matchmaker.matching``; this package is the only glue to it.
"""
