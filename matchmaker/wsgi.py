"""WSGI entry point for production servers: ``gunicorn 'matchmaker.wsgi:app'``.

Bad settings print one line and stop the worker (gunicorn then reports that the worker failed to boot).
"""

import sys

from matchmaker.app import create_app
from matchmaker.config import ConfigError

try:
    app = create_app()
except ConfigError as exc:
    print(f"matchmaker: configuration error: {exc}", file=sys.stderr, flush=True)
    sys.exit(2)
