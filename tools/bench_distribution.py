#!/usr/bin/env python3
"""Benchmark: lead_distribution against Odoo's own crm.team assignment (R24).

Creates and COMMITS N ready leads of random quality in a sales team of their own, 50
salespeople and 10 sales partners (everything named with the marker ``bench_distribution``),
then, for each of ``--rounds`` rounds, runs both sides on these same committed data, each in a
transaction of its own that is rolled back:

- ours: distributes the leads with a lead_distribution pool (50 salespeople + 10 partners);
- Odoo: assigns the same leads to the same 50 salespeople with Odoo's own
  ``crm.team._action_assign_leads()`` (crm.team.member with a capacity large enough for all).

Which side runs first alternates from round to round (a process's first run warms Python and
database caches), and the tables both sides write are vacuumed before the first side, between
the two sides and after the second (autovacuum is off on the development server: the dead rows
one side leaves behind would otherwise slow the other down). Prints, for every round, both
times, their ratio and for both the spread (max - min) of lead counts and of quality sums
across members, then the best time of each side and the ratio of the bests.

Why the leads are committed first: in production leads always exist (committed) before a pool
or Odoo's assignment cron distributes them. Until 26 Nov 2026 the benchmark created the leads
in the same transaction as the distribution; PostgreSQL then re-checks every foreign key of each
updated ``crm_lead`` row (9 of them) even when the key columns do not change, because it only
skips that check for rows not inserted by the current transaction. That artefact cost both
sides time no production run spends (measured when the change was made: roughly 0.3-0.5 s of
our ~3.5 s and 0.5-1 s of Odoo's ~16.5 s).

Everything the setup created (leads, team, users, their partners, the sales partners) is
deleted in a ``finally`` at the end, and any leftovers of a crashed earlier run (found by the
marker) are deleted at the start; the touched tables are vacuumed after each clean-up. Do not
run two instances at once on the same database: each deletes the other's data.

Usage (a database with lead_distribution installed, e.g. the one of ``make demo``):

    .venv/bin/python tools/bench_distribution.py -d lead_demo [--leads 10000] [--rounds 3] \\
        [--db_host 127.0.0.1 --db_user odoo]
"""

import argparse
import os
import random
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# every record the setup creates carries this marker in its name (and login / e-mail), so that
# the clean-up finds it, also after a crashed run
MARKER = "bench_distribution"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--leads", type=int, default=10000)
    parser.add_argument("--salespeople", type=int, default=50)
    parser.add_argument("--partners", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--db_host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--db_port", default=os.environ.get("PGPORT", "5432"))
    parser.add_argument("--db_user", default=os.environ.get("ODOO_DB_USER", "odoo"))
    parser.add_argument("--db_password", default=os.environ.get("PGPASSWORD", ""))
    parser.add_argument("--addons-path", default=f"/opt/odoo/odoo/addons,{ROOT}")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    return args


# the tables the benchmark writes (setup, both sides, clean-up); rolled-back and deleted rows
# stay as dead rows until vacuumed
TOUCHED_TABLES = (
    "crm_lead",
    "crm_lead_distribution_tried_rel",
    "crm_team",
    "crm_team_member",
    "lead_distribution_log",
    "lead_distribution_member",
    "lead_distribution_pool",
    "mail_activity",
    "mail_alias",
    "mail_followers",
    "mail_mail",
    "mail_message",
    "res_company_users_rel",
    "res_groups_users_rel",
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
                cur.execute("SELECT to_regclass(%s)", (table,))
                if cur.fetchone()[0]:
                    cur.execute(f'VACUUM ANALYZE "{table}"')
    finally:
        conn.close()


def spread(values):
    values = list(values)
    return (max(values) - min(values)) if values else 0


def like_marker(suffix):
    """A LIKE pattern matching names that start with the marker and ``suffix``."""
    return (MARKER + suffix).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def cleanup(env):
    """Delete everything a run of this benchmark created (found by the marker); return counts."""
    cr = env.cr
    found = {}
    for key, query, suffix in (
        ("leads", "SELECT id FROM crm_lead WHERE name LIKE %s", " lead "),
        ("teams", "SELECT id FROM crm_team WHERE name->>'en_US' LIKE %s", " team"),
        ("users", "SELECT id FROM res_users WHERE login LIKE %s", "_seller_"),
        ("partners", "SELECT id FROM res_partner WHERE name LIKE %s", " "),
    ):
        cr.execute(query, (like_marker(suffix),))
        found[key] = [row[0] for row in cr.fetchall()]
    if not any(found.values()):
        return found
    env = env(context={**env.context, "active_test": False}, su=True)
    env["crm.lead"].browse(found["leads"]).unlink()
    env["crm.team"].browse(found["teams"]).unlink()
    users = env["res.users"].browse(found["users"])
    # the partners of the users too (their names carry the marker as well)
    partner_ids = set(found["partners"]) | set(users.partner_id.ids)
    users.unlink()
    env["res.partner"].browse(sorted(partner_ids)).unlink()
    env.flush_all()
    return found


def setup(env, args):
    rng = random.Random(args.seed)
    company = env.company
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"{MARKER} seller {i:02d}",
                    "login": f"{MARKER}_seller_{i:02d}",
                    "email": f"{MARKER}_seller_{i:02d}@example.com",
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                    "groups_id": [(6, 0, [env.ref("sales_team.group_sale_salesman").id])],
                }
                for i in range(args.salespeople)
            ]
        )
    )
    partners = env["res.partner"].create(
        [
            {
                "name": f"{MARKER} partner {i:02d}",
                "is_company": True,
                "email": f"{MARKER}_partner_{i:02d}@example.com",
            }
            for i in range(args.partners)
        ]
    )
    team = env["crm.team"].create({"name": f"{MARKER} team", "company_id": company.id})
    leads = (
        env["crm.lead"]
        .with_context(lead_distribution_no_auto=True, tracking_disable=True)
        .create(
            [
                {
                    "name": f"{MARKER} lead {i:05d}",
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
    return users.ids, partners.ids, team.id, leads.ids, scores


def run_ours(env, user_ids, partner_ids, team_id, lead_ids, scores):
    users = env["res.users"].browse(user_ids)
    partners = env["res.partner"].browse(partner_ids)
    pool = env["lead.distribution.pool"].create(
        {
            "name": "Bench pool",
            "team_ids": [(6, 0, [team_id])],
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


def run_odoo(env, user_ids, team_id, lead_ids, scores):
    users = env["res.users"].browse(user_ids)
    team = env["crm.team"].browse(team_id)
    quota = -(-len(lead_ids) // len(users))  # ceil
    env["crm.team.member"].create(
        [{"crm_team_id": team.id, "user_id": u.id, "assignment_max": quota * 30} for u in users]
    )
    env.flush_all()
    env.invalidate_all()
    # Odoo commits every 100 leads unless the thread is marked as testing: keep the benchmark
    # in one transaction like ours (rolled back afterwards)
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
        (lead_ids,),
    )
    per_user = {}
    for user_id, lead_id in env.cr.fetchall():
        count, quality = per_user.get(user_id, (0, 0))
        per_user[user_id] = (count + 1, quality + scores[lead_id])
    rows = [(user_id, count, quality) for user_id, (count, quality) in per_user.items()]
    rows += [(u.id, 0, 0) for u in users if u.id not in per_user]
    return elapsed, sum(r[1] for r in rows), rows


def in_rolled_back_transaction(registry, func, *func_args):
    """Run ``func(env, *func_args)`` in a transaction of its own, always rolled back."""
    from odoo import SUPERUSER_ID, api

    cr = registry.cursor()
    try:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        return func(env, *func_args)
    finally:
        cr.rollback()
        cr.close()


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

    def committed(func, *func_args):
        """Run ``func(env, *func_args)`` in a transaction of its own and commit it."""
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            result = func(env, *func_args)
            cr.commit()
        return result

    leftovers = committed(cleanup)
    if any(leftovers.values()):
        print(
            "Deleted the leftovers of an earlier run: "
            + ", ".join(f"{len(ids)} {key}" for key, ids in leftovers.items())
        )
    vacuum(args)
    results = []  # (round, first side, ours..., odoo...)
    try:
        print(
            f"Creating and committing {args.leads} leads, {args.salespeople} salespeople, "
            f"{args.partners} partners ..."
        )
        user_ids, partner_ids, team_id, lead_ids, scores = committed(setup, args)
        vacuum(args)
        for round_no in range(1, args.rounds + 1):
            ours_first = round_no % 2 == 1
            sides = ("ours", "odoo") if ours_first else ("odoo", "ours")
            outcome = {}
            for side in sides:
                if side == "ours":
                    outcome[side] = in_rolled_back_transaction(
                        registry, run_ours, user_ids, partner_ids, team_id, lead_ids, scores
                    )
                else:
                    outcome[side] = in_rolled_back_transaction(
                        registry, run_odoo, user_ids, team_id, lead_ids, scores
                    )
                # the dead rows the rolled-back side left must not slow the next one down
                vacuum(args)
            results.append((round_no, sides[0], outcome["ours"], outcome["odoo"]))
            ours, theirs = outcome["ours"][0], outcome["odoo"][0]
            print(
                f"round {round_no} ({'ours' if ours_first else 'Odoo'} first): ours {ours:.2f} s, "
                f"Odoo {theirs:.2f} s, ratio {theirs / ours:.1f}x"
            )
    finally:
        removed = committed(cleanup)
        print(
            "Removed the benchmark data: "
            + ", ".join(f"{len(ids)} {key}" for key, ids in removed.items())
        )
        vacuum(args)

    print()
    print(
        f"{'round, side':48}{'time (s)':>10}{'leads':>8}{'count spread':>14}"
        f"{'quality spread':>16}"
    )
    for round_no, first, (ours, n_ours, rows, direct), (theirs, n_theirs, odoo_rows) in results:
        order = "ours first" if first == "ours" else "Odoo first"
        print(f"round {round_no} ({order}), ratio Odoo / ours: {theirs / ours:.1f}x")
        print(
            f"{'  lead_distribution (50 direct + 10 partners)':48}{ours:>10.2f}{n_ours:>8}"
            f"{spread(r[1] for r in rows):>14}{spread(r[2] for r in rows):>16.0f}"
        )
        print(
            f"{'  lead_distribution, the 50 salespeople':48}{'':>10}"
            f"{sum(r[1] for r in direct):>8}"
            f"{spread(r[1] for r in direct):>14}{spread(r[2] for r in direct):>16.0f}"
        )
        print(
            f"{'  Odoo crm.team assignment (50 people)':48}{theirs:>10.2f}{n_theirs:>8}"
            f"{spread(r[1] for r in odoo_rows):>14}{spread(r[2] for r in odoo_rows):>16.0f}"
        )
    ours_times = [r[2][0] for r in results]
    odoo_times = [r[3][0] for r in results]
    ratios = [o / u for u, o in zip(ours_times, odoo_times, strict=True)]
    print()
    print(
        f"ours: best {min(ours_times):.2f} s (all: "
        + ", ".join(f"{t:.2f}" for t in ours_times)
        + f"); Odoo: best {min(odoo_times):.2f} s (all: "
        + ", ".join(f"{t:.2f}" for t in odoo_times)
        + ")"
    )
    print(
        f"ratio Odoo / ours, best against best: {min(odoo_times) / min(ours_times):.1f}x; "
        f"per round {min(ratios):.1f}-{max(ratios):.1f}x (goal: at least 5x)"
    )


if __name__ == "__main__":
    main()
