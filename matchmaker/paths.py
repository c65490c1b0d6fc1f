"""Where the project's non-code files live (data, templates), resolved once.

In a checkout (and an editable install) they are the top-level ``data/`` and ``templates/`` folders; an installed
wheel carries copies of both in ``matchmaker/_bundled/`` (see ``setup.py``). ``MATCHMAKER_DATA_DIR`` overrides
the data folder.
"""

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED = PACKAGE_DIR / "_bundled"
#: The folder holding ``data/`` and ``templates/``: the wheel's bundle when installed, else the checkout.
PROJECT_ROOT = _BUNDLED if _BUNDLED.is_dir() else PACKAGE_DIR.parent
DATA_DIR = Path(os.environ.get("MATCHMAKER_DATA_DIR", PROJECT_ROOT / "data"))
TEMPLATES_DIR = PROJECT_ROOT / "templates"
