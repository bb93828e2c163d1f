"""Unit tests of the addon's pure-Python modules (lib/): no Odoo, no database."""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "lib"))
