#!/usr/bin/env python3
"""Benchmark of lead_quality (R24): lead creation overhead and batch re-scoring.

Prints, on the same PostgreSQL server and machine:

1. the time to create N leads (default 10,000) in one ``create`` call in a database with
   lead_quality installed, divided by the same in a database with only crm (goal <= 1.25);
2. the time to re-score M leads (default 100,000) after one media rank change through the
   ORM (rank, score, grade and readiness recomputed and stored), and its ratio to one plain
   SQL ``UPDATE`` of the same rows (goal: under 10 s).

Everything runs in transactions that are rolled back, and crm_lead is vacuumed afterwards: the
databases are left as they were.
The two databases are created (without demo data) when they do not exist yet.

Usage:

    .venv/bin/python tools/bench_lead_quality.py [--leads 10000] [--rescore 100000] \\
        [--with-db bench_lq_with] [--without-db bench_lq_without] [--rounds 3]
"""

import argparse
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--leads", type=int, default=10000)
    parser.add_argument("--rescore", type=int, default=100000)
    parser.add_argument(
        "--rounds", type=int, default=3, help="creation runs per database (best kept)"
    )
    parser.add_argument("--with-db", default="bench_lq_with")
    parser.add_argument("--without-db", default="bench_lq_without")
    parser.add_argument("--db_host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--db_port", default=os.environ.get("PGPORT", "5432"))
    parser.add_argument("--db_user", default=os.environ.get("ODOO_DB_USER", "odoo"))
    parser.add_argument("--db_password", default=os.environ.get("PGPASSWORD", ""))
    parser.add_argument("--addons-path", default=f"/opt/odoo/odoo/addons,{ROOT}")
    return parser.parse_args()


def ensure_db(args, dbname, module):
    import odoo

    if dbname in odoo.service.db.list_dbs(force=True):
        return
    print(f"Creating database {dbname} with {module} (no demo data) ...", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            f"--addons-path={args.addons_path}",
            f"--db_host={args.db_host}",
            f"--db_port={args.db_port}",
            f"--db_user={args.db_user}",
            f"--db_password={args.db_password}",
            f"--data-dir={os.path.join(ROOT, '.odoo-data')}",
            "-d",
            dbname,
            "-i",
            module,
            "--without-demo=all",
            "--stop-after-init",
            "--http-port=0",
            "--gevent-port=0",
            "--log-level=warn",
        ],
        check=True,
    )


def lead_vals(env, count):
    media = env["utm.medium"].search([], order="id")
    stage = env["crm.stage"].search([], limit=1)
    team = env["crm.team"].search([], limit=1)
    return [
        {
            "name": f"Bench lead {i}",
            "type": "lead",
            "medium_id": media[i % len(media)].id,
            "contact_name": f"Contact {i}",
            "partner_name": f"Company {i % 500}",
            "email_from": f"contact{i}@bench.example.com",
            "phone": f"+49 30 {100000 + i}",
            "team_id": team.id,
            "stage_id": stage.id,
        }
        for i in range(count)
    ]


def time_create(registry, count):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(
            cr,
            SUPERUSER_ID,
            {
                "tracking_disable": True,
                "mail_create_nolog": True,
                "mail_create_nosubscribe": True,
            },
        )
        vals_list = lead_vals(env, count)
        env.flush_all()
        start = time.perf_counter()
        env["crm.lead"].create(vals_list)
        env.flush_all()
        elapsed = time.perf_counter() - start
        cr.rollback()
    return elapsed


def time_rescore(registry, count):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        medium = env.ref("utm.utm_medium_phone")
        template = env["crm.lead"].create(lead_vals(env, 1)[0] | {"medium_id": medium.id})
        env.flush_all()
        cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'crm_lead' AND column_name != 'id'"
        )
        columns = ", ".join(f'"{row[0]}"' for row in cr.fetchall())
        cr.execute(
            f"INSERT INTO crm_lead ({columns}) SELECT {columns} "
            "FROM crm_lead, generate_series(1, %s) WHERE crm_lead.id = %s",
            (count - 1, template.id),
        )
        cr.execute("ANALYZE crm_lead")
        cr.execute("SELECT count(*) FROM crm_lead WHERE medium_id = %s", (medium.id,))
        affected = cr.fetchone()[0]
        old_rank = medium.quality_rank
        env.invalidate_all()

        # the plain SQL UPDATE first (it also pays for the first write on the fresh rows)
        start = time.perf_counter()
        cr.execute(
            "UPDATE crm_lead SET quality_rank = %s WHERE medium_id = %s", (old_rank + 2, medium.id)
        )
        sql_time = time.perf_counter() - start
        env.invalidate_all()

        start = time.perf_counter()
        medium.quality_rank = old_rank + 1
        env.flush_all()
        orm_time = time.perf_counter() - start

        cr.execute(
            "SELECT count(*) FROM crm_lead WHERE medium_id = %s AND quality_rank = %s",
            (medium.id, old_rank + 1),
        )
        rescored = cr.fetchone()[0]
        cr.rollback()
    return affected, rescored, orm_time, sql_time


def main():
    args = parse_args()
    sys.path.insert(0, "/opt/odoo")
    import odoo

    odoo.tools.config.parse_config(
        [
            f"--addons-path={args.addons_path}",
            f"--db_host={args.db_host}",
            f"--db_port={args.db_port}",
            f"--db_user={args.db_user}",
            f"--db_password={args.db_password}",
            f"--data-dir={os.path.join(ROOT, '.odoo-data')}",
            "--log-level=warn",
        ]
    )
    ensure_db(args, args.without_db, "crm")
    ensure_db(args, args.with_db, "lead_quality")
    with_registry = odoo.modules.registry.Registry(args.with_db)
    without_registry = odoo.modules.registry.Registry(args.without_db)

    # rounds alternate between the two databases so that load on the machine hits both alike;
    # the best time of each is kept
    print(f"Creating {args.leads} leads in one create, best of {args.rounds} ...", flush=True)
    without_times, with_times = [], []
    for _round in range(args.rounds):
        without_times.append(time_create(without_registry, args.leads))
        with_times.append(time_create(with_registry, args.leads))
        print(
            f"  round: crm only {without_times[-1]:.2f} s, "
            f"with lead_quality {with_times[-1]:.2f} s",
            flush=True,
        )
    without_time, with_time = min(without_times), min(with_times)
    print(f"  crm only:                {without_time:8.2f} s")
    print(f"  with lead_quality:       {with_time:8.2f} s")
    print(f"  ratio:                   {with_time / without_time:8.2f}   (goal <= 1.25)")

    print(f"Re-scoring {args.rescore} leads after one rank change ...", flush=True)
    affected, rescored, orm_time, sql_time = time_rescore(with_registry, args.rescore)
    print(f"  leads of the medium:     {affected:8d}  (re-scored: {rescored})")
    print(f"  ORM re-score:            {orm_time:8.2f} s   (goal < 10 s)")
    print(f"  one SQL UPDATE:          {sql_time:8.2f} s")
    print(f"  ratio:                   {orm_time / sql_time:8.2f}")
    # the rolled-back rows are dead weight in crm_lead (autovacuum may be off): reclaim them
    # so that later benchmarks on this database start from the same state
    import psycopg2

    conn = psycopg2.connect(
        host=args.db_host,
        port=args.db_port,
        user=args.db_user,
        password=args.db_password or None,
        dbname=args.with_db,
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM FULL ANALYZE crm_lead")
    conn.close()


if __name__ == "__main__":
    main()
