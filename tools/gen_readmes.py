#!/usr/bin/env python3
"""Generate each addon's README.rst and static/description/index.html from its readme/
fragments with OCA's generator (oca-gen-addon-readme, from OCA's maintainer-tools).

    python3 tools/gen_readmes.py [--generator PATH]

maintainer-tools is not published on PyPI: install it from its repository into a virtualenv
of its own (python3 -m venv ~/.venvs/oca && ~/.venvs/oca/bin/pip install <checkout of
OCA/maintainer-tools>) and give its oca-gen-addon-readme (found on PATH otherwise). The
Markdown fragments need pandoc (Debian: apt-get install pandoc). Commit the generated files
with the fragments.
"""

import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generator", default=shutil.which("oca-gen-addon-readme"))
    args = parser.parse_args()
    if not args.generator:
        sys.exit("oca-gen-addon-readme not found: see this script's docstring")
    cmd = [
        args.generator,
        "--org-name=lead-management",
        "--repo-name=odoo-crm-addons",
        "--branch=18.0",
        "--no-commit",
        "--gen-html",
        *(f"--addon-dir={addon}" for addon in harness.ADDONS),
    ]
    return subprocess.run(cmd, cwd=harness.REPO, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
