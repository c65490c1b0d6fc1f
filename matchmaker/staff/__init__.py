"""Staff accounts of CUF and GAROK: login, logout, access control, account creation."""
