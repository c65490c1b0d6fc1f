"""Staff accounts of CUF and GAROK: login, logout, access control, account creation."""
from matchmaker.staff.views import bp

__all__ = ["bp"]
