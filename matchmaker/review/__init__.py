"""The staff review workspace: suggested pairs, decisions, introductions, answers, outcomes, dashboard, exports."""
