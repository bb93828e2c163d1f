#!/usr/bin/env python3
"""Benchmark: lead_distribution against Odoo's own crm.team assignment (R24).

Creates (inside one transaction that is rolled back at the end: the database is left as it
was) N ready leads of random quality, 50 salespeople and 10 sales partners, then

1. distributes the leads with a lead_distribution pool (50 salespeople + 10 partners);
2. rolls that back and assigns the same leads to the same 50 salespeople with Odoo's own
   ``crm.team._action_assign_leads()`` (crm.team.member with a capacity large enough for all);

and prints both times, their ratio, and for both the spread (max - min) of lead counts and of
quality sums across members.

The tables both sides write are vacuumed before and after: the rolled-back rows of earlier runs
are dead weight that slows later runs down when autovacuum is off or behind.

Usage (a database with lead_distribution installed, e.g. the one of ``make demo``):

    .venv/bin/python tools/bench_distribution.py -d lead_demo [--leads 10000] \\
        [--db_host 127.0.0.1 --db_user odoo]
"""

import argparse
import os
import random
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--leads", type=int, default=10000)
    parser.add_argument("--salespeople", type=int, default=50)
    parser.add_argument("--partners", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--db_host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--db_port", default=os.environ.get("PGPORT", "5432"))
    parser.add_argument("--db_user", default=os.environ.get("ODOO_DB_USER", "odoo"))
    parser.add_argument("--db_password", default=os.environ.get("PGPASSWORD", ""))
    parser.add_argument("--addons-path", default=f"/opt/odoo/odoo/addons,{ROOT}")
    return parser.parse_args()


# the tables the benchmark writes (both sides); their rolled-back rows stay as dead rows
TOUCHED_TABLES = (
    "crm_lead",
    "crm_lead_distribution_tried_rel",
    "crm_team_member",
    "lead_distribution_log",
    "mail_activity",
    "mail_followers",
    "mail_mail",
    "mail_message",
    "res_partner",
    "res_users",
)


def vacuum(args):
    """VACUUM ANALYZE the tables the benchmark writes (outside any transaction)."""
    import psycopg2

    conn = psycopg2.connect(
        host=args.db_host,
        port=args.db_port,
        user=args.db_user,
        password=args.db_password or None,
        dbname=args.database,
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for table in TOUCHED_TABLES:
                cur.execute(f'VACUUM ANALYZE "{table}"')
    finally:
        conn.close()


def spread(values):
    values = list(values)
    return (max(values) - min(values)) if values else 0


def setup(env, args):
    rng = random.Random(args.seed)
    company = env.company
    users = env["res.users"].create(
        [
            {
                "name": f"Bench Seller {i:02d}",
                "login": f"bench_seller_{i:02d}",
                "email": f"bench_seller_{i:02d}@example.com",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, [env.ref("sales_team.group_sale_salesman").id])],
            }
            for i in range(args.salespeople)
        ]
    )
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench Partner {i:02d}",
                "is_company": True,
                "email": f"bench_partner_{i:02d}@example.com",
            }
            for i in range(args.partners)
        ]
    )
    team = env["crm.team"].create({"name": "Bench team", "company_id": company.id})
    leads = (
        env["crm.lead"]
        .with_context(lead_distribution_no_auto=True, tracking_disable=True)
        .create(
            [
                {
                    "name": f"Bench lead {i:05d}",
                    "type": "lead",
                    "team_id": team.id,
                    "user_id": False,
                    "company_id": company.id,
                }
                for i in range(args.leads)
            ]
        )
    )
    env.flush_all()
    scores = {lead_id: rng.randint(20, 100) for lead_id in leads.ids}
    env.cr.execute(
        """
        UPDATE crm_lead l SET quality_score = v.score,
               quality_grade = CASE WHEN v.score >= 80 THEN 'A' WHEN v.score >= 60 THEN 'B'
                                    ELSE 'C' END,
               is_distribution_ready = TRUE, date_open = NULL
          FROM (SELECT unnest(%s::int[]) AS id, unnest(%s::int[]) AS score) v
         WHERE l.id = v.id
        """,
        (list(scores), list(scores.values())),
    )
    env.invalidate_all()
    return users, partners, team, leads, scores


def run_ours(env, users, partners, team, leads, scores):
    pool = env["lead.distribution.pool"].create(
        {
            "name": "Bench pool",
            "team_ids": [(6, 0, team.ids)],
            "min_grade": False,
            "require_ready": True,
            "member_ids": [(0, 0, {"channel": "direct", "user_id": u.id}) for u in users]
            + [(0, 0, {"channel": "partner", "partner_id": p.id}) for p in partners],
        }
    )
    env.flush_all()
    env.invalidate_all()
    start = time.perf_counter()
    done = pool._distribute_pending("benchmark")
    env.flush_all()
    elapsed = time.perf_counter() - start
    env.cr.execute(
        "SELECT member_id, count(*), sum(quality_score) FROM lead_distribution_log "
        "WHERE pool_id = %s GROUP BY member_id",
        (pool.id,),
    )
    rows = env.cr.fetchall()
    members = {m.id: m for m in pool.member_ids}
    direct = [r for r in rows if members[r[0]].channel == "direct"]
    return elapsed, len(done), rows, direct


def run_odoo(env, users, team, leads, scores):
    quota = -(-len(leads) // len(users))  # ceil
    env["crm.team.member"].create(
        [{"crm_team_id": team.id, "user_id": u.id, "assignment_max": quota * 30} for u in users]
    )
    env.flush_all()
    env.invalidate_all()
    # Odoo commits every 100 leads unless the thread is marked as testing: keep the benchmark
    # in one transaction like ours
    threading.current_thread().testing = True
    try:
        start = time.perf_counter()
        team.with_context(mail_auto_subscribe_no_notify=True)._action_assign_leads(
            force_quota=True, creation_delta_days=0
        )
        env.flush_all()
        elapsed = time.perf_counter() - start
    finally:
        threading.current_thread().testing = False
    env.cr.execute(
        "SELECT user_id, id FROM crm_lead WHERE id = ANY(%s) AND user_id IS NOT NULL",
        (leads.ids,),
    )
    per_user = {}
    for user_id, lead_id in env.cr.fetchall():
        count, quality = per_user.get(user_id, (0, 0))
        per_user[user_id] = (count + 1, quality + scores[lead_id])
    rows = [(user_id, count, quality) for user_id, (count, quality) in per_user.items()]
    rows += [(u.id, 0, 0) for u in users if u.id not in per_user]
    return elapsed, sum(r[1] for r in rows), rows


def main():
    args = parse_args()
    sys.path.insert(0, "/opt/odoo")
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(
        [
            f"--addons-path={args.addons_path}",
            f"--db_host={args.db_host}",
            f"--db_port={args.db_port}",
            f"--db_user={args.db_user}",
            f"--db_password={args.db_password}",
            "--log-level=warn",
        ]
    )
    registry = odoo.modules.registry.Registry(args.database)
    vacuum(args)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        print(
            f"Creating {args.leads} leads, {args.salespeople} salespeople, "
            f"{args.partners} partners ..."
        )
        users, partners, team, leads, scores = setup(env, args)
        cr.execute("SAVEPOINT bench")
        ours, n_ours, rows, direct = run_ours(env, users, partners, team, leads, scores)
        cr.execute("ROLLBACK TO SAVEPOINT bench")
        env.invalidate_all()
        env.transaction.reset()
        theirs, n_theirs, odoo_rows = run_odoo(env, users, team, leads, scores)
        cr.rollback()
    vacuum(args)
    print()
    print(f"{'':38}{'time (s)':>10}{'leads':>8}{'count spread':>14}{'quality spread':>16}")
    print(
        f"{'lead_distribution (50 direct + 10 partners)':38.38}{ours:>10.2f}{n_ours:>8}"
        f"{spread(r[1] for r in rows):>14}{spread(r[2] for r in rows):>16.0f}"
    )
    print(
        f"{'lead_distribution, the 50 salespeople':38}{'':>10}{sum(r[1] for r in direct):>8}"
        f"{spread(r[1] for r in direct):>14}{spread(r[2] for r in direct):>16.0f}"
    )
    print(
        f"{'Odoo crm.team assignment (50 people)':38}{theirs:>10.2f}{n_theirs:>8}"
        f"{spread(r[1] for r in odoo_rows):>14}{spread(r[2] for r in odoo_rows):>16.0f}"
    )
    print()
    print(f"ratio Odoo / ours: {theirs / ours:.1f}x (goal: at least 5x)")


if __name__ == "__main__":
    main()
