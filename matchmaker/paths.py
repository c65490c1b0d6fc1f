"""Where the project's non-code files live (data, templates), resolved once."""
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("MATCHMAKER_DATA_DIR", PROJECT_ROOT / "data"))
TEMPLATES_DIR = PROJECT_ROOT / "templates"
