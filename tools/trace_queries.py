"""Which SQL queries a method runs, and from where: a development aid for Odoo's query-count tests.

Runs Odoo (the harness's command line for the current series) with ``Cursor.execute`` wrapped:
while a frame of the function named ``--inside`` is on the stack, each query is recorded with
the innermost frames of our addons (or, when none, of Odoo's addons) that led to it. At exit it
writes one JSON line per query to ``--out``. Two runs (our database, a crm-only one) compared
with ``--diff`` show what our addons add to one of crm's counted blocks::

    .venv19/bin/python tools/trace_queries.py --out /tmp/ours.jsonl -- -d DB \\
        --test-tags=/crm:TestLeadAssignPerf.test_assign_perf_no_duplicates --stop-after-init
    .venv19/bin/python tools/trace_queries.py --diff /tmp/crm.jsonl /tmp/ours.jsonl

Everything after ``--`` is passed to Odoo after the harness's own options (addons path, data
directory, database server). Run it with the series' virtualenv (``ODOO_VERSION=19.0`` for 19.0).
"""

import argparse
import collections
import json
import os
import re
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # the harness's paths and database options

_NUMBERS = re.compile(r"\b\d+\b")
_SPACES = re.compile(r"\s+")


def normalise(query):
    """A query without its literal numbers and extra spaces: the same statement on other ids."""
    return _SPACES.sub(" ", _NUMBERS.sub("N", query)).strip()


def origin(stack):
    """The innermost frames of our addons that led to a query, else those of Odoo's addons."""
    ours = [f for f in stack if any(f"/{addon}/" in f.filename for addon in harness.ADDONS)]
    frames = ours or [f for f in stack if "/addons/" in f.filename]
    return [f"{os.path.basename(f.filename)}:{f.lineno} {f.name}" for f in frames[-3:]]


def trace(inside, out, odoo_args):
    import odoo.cli  # the virtualenv's Odoo, only when tracing
    import odoo.sql_db

    records = []
    execute = odoo.sql_db.Cursor.execute

    def traced(self, query, params=None, log_exceptions=True):
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_name != inside:
            frame = frame.f_back
        if frame is not None:
            stack = traceback.extract_stack()
            text = query.code if hasattr(query, "code") else str(query)
            records.append({"query": normalise(text), "origin": origin(stack)})
        return execute(self, query, params, log_exceptions)

    odoo.sql_db.Cursor.execute = traced
    command = harness.odoo_command("placeholder")
    options = [arg for arg in command[3:] if not arg.startswith(("-d", "--db-filter"))]
    options = [arg for arg in options if arg != "placeholder"]
    sys.argv = ["odoo", *options, *odoo_args]
    try:
        odoo.cli.main()
    except SystemExit:
        pass
    finally:
        with open(out, "w", encoding="utf-8") as file:
            for record in records:
                file.write(json.dumps(record) + "\n")
        print(f"{len(records)} queries inside {inside} written to {out}", file=sys.stderr)


def load(path):
    with open(path, encoding="utf-8") as file:
        return [json.loads(line) for line in file]


def diff(base_path, other_path):
    """The queries of ``other`` beyond those of ``base`` (by normalised text), with origins."""
    base, other = load(base_path), load(other_path)
    base_count = collections.Counter(r["query"] for r in base)
    other_count = collections.Counter(r["query"] for r in other)
    print(f"{len(base)} queries in {base_path}, {len(other)} in {other_path}")
    for query, count in (other_count - base_count).most_common():
        origins = collections.Counter(
            " <- ".join(reversed(r["origin"])) for r in other if r["query"] == query
        )
        print(f"+{count} {query[:300]}")
        for where, times in origins.most_common(3):
            print(f"      {times}x {where}")
    for query, count in (base_count - other_count).most_common():
        print(f"-{count} {query[:300]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inside", default="_action_assign_leads", help="function name")
    parser.add_argument("--out", help="where the queries go (JSON lines)")
    parser.add_argument("--diff", nargs=2, metavar=("BASE", "OTHER"))
    parser.add_argument("odoo_args", nargs="*", help="Odoo's options, after --")
    args = parser.parse_args()
    if args.diff:
        diff(*args.diff)
    else:
        trace(args.inside, args.out, args.odoo_args)


if __name__ == "__main__":
    main()
