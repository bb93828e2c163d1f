#!/usr/bin/env python3
"""Plan versus actual against crm's read_group with the same grouping: a row of
tools/bench.py.

The benchmarks live in one script with one protocol (crm-only baseline databases, seeded
varied data, default context, rolled-back rounds, vacuum); this runs only its rows
"report". Options are those of tools/bench.py, e.g. ``--quick``, ``--rounds N``,
``--size N``; the Odoo series is ``$ODOO_VERSION``'s (default 18.0), as for tools/bench.py::

    .venv/bin/python tools/bench_reporting.py [--quick] [--rounds N]
    ODOO_VERSION=19.0 .venv19/bin/python tools/bench_reporting.py [--quick] [--rounds N]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench  # next to this script

if __name__ == "__main__":
    sys.exit(bench.main(["--only", "report", *sys.argv[1:]]))
