"""Bookkeeping of scheduled work: period keys, one run per job and period (JobRun), PostgreSQL advisory locks."""
