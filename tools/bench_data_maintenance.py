#!/usr/bin/env python3
"""Data-maintenance benchmarks (bulk writes of a field nobody maintains and of a maintained
one): rows of tools/bench.py.

The benchmarks live in one script with one protocol (crm-only baseline databases, seeded
varied data, default context, rolled-back rounds, vacuum); this runs only its rows
"stage, maintained". Options are those of tools/bench.py, e.g. ``--quick``, ``--rounds N``,
``--size N``; the Odoo series is ``$ODOO_VERSION``'s (default 18.0), as for tools/bench.py::

    .venv/bin/python tools/bench_data_maintenance.py [--quick] [--rounds N]
    ODOO_VERSION=19.0 .venv19/bin/python tools/bench_data_maintenance.py [--quick] [--rounds N]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench  # next to this script

if __name__ == "__main__":
    sys.exit(bench.main(["--only", "stage", "--only", "maintained", *sys.argv[1:]]))
