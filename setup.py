"""Packaging hook: copy the shipped library into the wheel as ``handouts/starter/``.

The repository's own ``exercises.yaml``, ``assets/`` and examples are the one copy of the starter
library; ``handouts/resources/starter-files.txt`` lists them. Everything else is in pyproject.toml.
"""

from __future__ import annotations

import glob
import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
LIST = os.path.join(HERE, "handouts", "resources", "starter-files.txt")


def starter_files():
    """(source, destination) pairs, both relative: source to the repository, destination to starter/."""
    pairs = []
    with open(LIST, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            source, dest = line.split()
            matches = sorted(glob.glob(os.path.join(HERE, source)))
            if not matches:
                raise SystemExit(f"starter-files.txt: {source} matches no file")
            for match in matches:
                rel = os.path.relpath(match, HERE)
                pairs.append((rel, dest + os.path.basename(match) if dest.endswith("/") else dest))
    return pairs


class BuildWithStarter(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads the starter from the checkout itself
            return
        for source, dest in starter_files():
            target = os.path.join(self.build_lib, "handouts", "starter", dest)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(os.path.join(HERE, source), target)


setup(cmdclass={"build_py": BuildWithStarter})
