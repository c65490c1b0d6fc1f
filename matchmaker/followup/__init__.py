"""Follow-through after both sides said "interested": the first video call across time zones (and what follows)."""
from matchmaker.followup.blueprint import bp
from matchmaker.followup import views  # noqa: F401  (register the routes)

__all__ = ["bp"]
