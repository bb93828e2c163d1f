#!/usr/bin/env python3
"""Benchmark: cost of recording data-maintenance acts on a bulk lead write.

Writes one maintained field (``city``) on 1,000 leads in a single ``write``,
with mail tracking, as an internal user (not the superuser), and compares:

* with the data-maintenance recording of ``lead_quality`` (acts created), and
* the same write with the recording switched off (context key
  ``lead_data_maintenance_skip``, the way merges and imports skip it),

Each round uses fresh leads (the day limit would otherwise make later rounds
cheaper) and includes the flush and the tracking messages (precommit).
Everything is rolled back at the end.

Usage::

    .venv/bin/python tools/bench_data_maintenance.py -d <db with lead_quality> \
        [--records 1000] [--rounds 5]
"""

import argparse
import gc
import os
import statistics
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOAL = 1.3


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument(
        "--baseline-db",
        help="database with crm but without lead_quality (e.g. bench_lq_without of "
        "bench_lead_quality.py): compare against the same write there instead of the same "
        "write with the recording switched off",
    )
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--odoo-path", default=os.environ.get("ODOO_PATH", "/opt/odoo"))
    parser.add_argument("--db-host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--db-user", default=os.environ.get("ODOO_DB_USER", "odoo"))
    return parser.parse_args()


def timed_write(env, count, record, round_no):
    leads = (
        env["crm.lead"]
        .sudo()
        .create([{"name": f"bench {round_no} {i}", "user_id": False} for i in range(count)])
    )
    env.flush_all()
    env.cr.precommit.run()
    env.invalidate_all()
    leads = leads.with_env(env)
    has_acts = "lead.data.maintenance" in env
    if not record and has_acts:
        leads = leads.with_context(lead_data_maintenance_skip=True)
    acts_before = env["lead.data.maintenance"].sudo().search_count([]) if has_acts else 0
    gc.collect()  # no garbage collection of an earlier round inside the timed part
    start = time.perf_counter()
    leads.write({"city": f"Köln {round_no}"})
    env.flush_all()
    env.cr.precommit.run()  # tracking messages
    elapsed = time.perf_counter() - start
    acts = env["lead.data.maintenance"].sudo().search_count([]) - acts_before if has_acts else 0
    return elapsed, acts


def main():
    args = parse_args()
    sys.path.insert(0, args.odoo_path)
    import odoo
    from odoo import api

    odoo.tools.config.parse_config(
        [
            f"--addons-path={os.path.join(args.odoo_path, 'odoo', 'addons')},{REPO}",
            f"--db_host={args.db_host}",
            f"--db_user={args.db_user}",
            "--log-level=warn",
        ]
    )

    def admin_env(cr):
        admin = api.Environment(cr, odoo.SUPERUSER_ID, {}).ref("base.user_admin")
        env = api.Environment(cr, admin.id, {"tracking_disable": False})
        assert not env.su
        return env

    # the same starting point for both databases: earlier benchmarks (e.g. the 100,000-lead
    # re-score of bench_lead_quality.py, rolled back) leave dead rows, and autovacuum may
    # be off on the server
    import psycopg2

    for dbname in dict.fromkeys((args.database, args.baseline_db or args.database)):
        conn = psycopg2.connect(host=args.db_host, user=args.db_user, dbname=dbname)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("VACUUM ANALYZE crm_lead")
        conn.close()

    registry = odoo.modules.registry.Registry(args.database)
    baseline = odoo.modules.registry.Registry(args.baseline_db) if args.baseline_db else registry
    with registry.cursor() as cr, baseline.cursor() as base_cr:
        envs = {True: admin_env(cr), False: admin_env(base_cr)}
        with_rec, without = [], []
        for env in envs.values():
            timed_write(env, 50, True, "warm-up")
        for round_no in range(args.rounds):
            # alternate the order so caches and autovacuum favour neither side
            order = (True, False) if round_no % 2 == 0 else (False, True)
            for record in order:
                elapsed, acts = timed_write(envs[record], args.records, record, round_no)
                expected = args.records if record else 0
                if acts != expected:
                    raise SystemExit(f"expected {expected} acts, got {acts}")
                (with_rec if record else without).append(elapsed)
        cr.rollback()
        base_cr.rollback()
    med_with, med_without = statistics.median(with_rec), statistics.median(without)
    ratio = med_with / med_without
    best_ratio = min(with_rec) / min(without)
    print(f"bulk write of 1 field on {args.records} leads, tracking on, {args.rounds} rounds")
    baseline_label = (
        f"without the addon ({args.baseline_db})" if args.baseline_db else "without recording"
    )
    for label, times in (("with recording", with_rec), (baseline_label, without)):
        listed = ", ".join(f"{t:.3f}" for t in times)
        print(
            f"  {label:<18}: median {statistics.median(times):.3f} s, "
            f"best {min(times):.3f} s  ({listed})"
        )
    verdict = "OK" if ratio <= GOAL else "ABOVE GOAL"
    print(f"  ratio of medians  : {ratio:.2f}  (goal <= {GOAL})  {verdict}")
    print(f"  ratio of best     : {best_ratio:.2f}")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
