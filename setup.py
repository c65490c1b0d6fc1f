"""Build step that puts the service's run-time files into the wheel.

The repository keeps the client's top-level layout: ``templates/`` and ``data/`` sit beside the ``matchmaker/``
package. A wheel can only carry files inside its packages, so building one copies both folders into
``matchmaker/_bundled/`` (``matchmaker.paths`` reads them there when the package is installed, and from the
checkout otherwise). Everything else about the build is in ``pyproject.toml``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: Top-level folders the service reads at run time, and the files of them it does not need (build scripts).
BUNDLED = {"templates": (), "data": ("*.py",)}


class BuildWithRuntimeFiles(build_py):
    """``build_py`` that also copies ``templates/`` and ``data/`` into the built package."""

    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        target = Path(self.build_lib) / "matchmaker" / "_bundled"
        for folder, ignored in BUNDLED.items():
            shutil.copytree(
                ROOT / folder,
                target / folder,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__", *ignored),
            )


setup(cmdclass={"build_py": BuildWithRuntimeFiles})
