"""The staff review workspace: suggested pairs, decisions, introductions, answers, outcomes, dashboard, exports."""
from matchmaker.review.blueprint import bp
from matchmaker.review import answers, exports, views  # noqa: F401  (register the routes)

__all__ = ["bp"]
