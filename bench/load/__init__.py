"""Load test of the whole service: bulk data, gunicorn on loopback, locust users, figures (see bench/load_test.py)."""
