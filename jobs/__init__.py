"""Scheduled jobs (APScheduler 3): thin calls to operations of the ``matchmaker`` package, each with a CLI twin."""
