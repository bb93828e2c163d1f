#!/usr/bin/env python3
"""Benchmark: plan versus actual (lead_reporting's SQL view) against Odoo's own
crm.lead read_group with the same grouping, on the same database (R24).

In a throwaway database (created with the three addons, dropped at the end unless
--keep), inserts N leads with SQL (``INSERT ... SELECT generate_series``) spread over
one year, 10 sales teams and 6 media, a confirmed funnel plan for the year per team,
then times

1. ``lead.funnel.report._read_group`` over the year's plans grouped by team and medium
   (planned leads, actual leads, opportunities, won, won revenue, lead -> opportunity
   conversion as a ratio of sums);
2. ``crm.lead._read_group`` over the same year grouped by team and medium (count,
   expected revenue);

each run --runs times, alternating (best time counts), and prints both times and
their ratio (goal: at most 2).

With --reuse, a database left by an earlier run with --keep (or --reuse) that holds
exactly N benchmark leads is used again: the addons are updated (``-u lead_reporting``,
so the view and indexes are those of the current code) and the tables analysed, but
nothing is inserted; the database is kept afterwards. Without such a database, --reuse
creates and fills one as usual. The two queries and the data are the same either way.

Usage:

    .venv/bin/python tools/bench_reporting.py [--leads 1000000] [--runs 5] [--keep]
        [--reuse] [--database lead_bench_reporting] [--db_host 127.0.0.1 --db_user odoo]
"""

import argparse
import datetime
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEAMS = 10
MEDIA = 6


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("leads_arg", nargs="?", type=int, help="number of leads (positional)")
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", default="lead_bench_reporting")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse a kept database that holds the benchmark data (implies --keep)",
    )
    parser.add_argument("--db_host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--db_port", default=os.environ.get("PGPORT", "5432"))
    parser.add_argument("--db_user", default=os.environ.get("ODOO_DB_USER", "odoo"))
    parser.add_argument("--db_password", default=os.environ.get("PGPASSWORD", ""))
    parser.add_argument("--addons-path", default=f"/opt/odoo/odoo/addons,{ROOT}")
    args = parser.parse_args()
    if args.leads_arg:
        args.leads = args.leads_arg
    if args.reuse:
        args.keep = True
    return args


def odoo_args(args):
    return [
        f"--addons-path={args.addons_path}",
        f"--db_host={args.db_host}",
        f"--db_port={args.db_port}",
        f"--db_user={args.db_user}",
        f"--db_password={args.db_password}",
        f"--data-dir={os.path.join(ROOT, '.odoo-data')}",
    ]


def psql_env(args):
    return dict(os.environ, PGPASSWORD=args.db_password)


def bench_leads_in(args):
    """Number of benchmark leads in an existing database, None without one."""
    found = subprocess.run(
        [
            "psql",
            "-h",
            args.db_host,
            "-p",
            str(args.db_port),
            "-U",
            args.db_user,
            "-d",
            args.database,
            "-XAtc",
            "SELECT count(*) FROM crm_lead WHERE name LIKE 'Bench lead %'",
        ],
        capture_output=True,
        text=True,
        env=psql_env(args),
        check=False,
    )
    return int(found.stdout) if found.returncode == 0 and found.stdout.strip() else None


def create_database(args, update=False):
    if update:
        print(f"Updating lead_reporting in the kept database {args.database} ...", flush=True)
    else:
        print(f"Installing the three addons into a fresh database {args.database} ...", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            *odoo_args(args),
            "-d",
            args.database,
            "-u" if update else "-i",
            "lead_reporting",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            "--http-port=0",
            "--gevent-port=0",
        ],
        check=True,
    )


def drop_database(args):
    subprocess.run(
        [
            "dropdb",
            "--if-exists",
            "-h",
            args.db_host,
            "-p",
            str(args.db_port),
            "-U",
            args.db_user,
            args.database,
        ],
        check=True,
        env=psql_env(args),
    )


def analyze(cr):
    cr.execute("ANALYZE crm_lead")
    cr.execute("ANALYZE lead_funnel_plan")
    cr.execute("ANALYZE lead_funnel_plan_line")


def reuse_populated(env, args):
    """The plans of a database filled by an earlier run; no insert."""
    plans = env["lead.funnel.plan"].search([("name", "=like", "Bench plan %")])
    if len(plans) != TEAMS:
        sys.exit(f"{args.database}: expected {TEAMS} benchmark plans, found {len(plans)}")
    print(f"Reusing {args.leads:,} leads of {args.database} (nothing inserted)", flush=True)
    analyze(env.cr)
    env.cr.commit()
    return plans, plans[0].date_from, plans[0].date_to


def populate(env, args, year_start):
    """Teams, media, one confirmed plan per team, N leads inserted with SQL."""
    cr = env.cr
    teams = env["crm.team"].create([{"name": f"Bench team {i}"} for i in range(TEAMS)])
    media = env["utm.medium"].create([{"name": f"Bench medium {i}"} for i in range(MEDIA)])
    won_stage = env["crm.stage"].search([("is_won", "=", True)], limit=1)
    open_stage = env["crm.stage"].search([("is_won", "=", False)], limit=1)
    year_end = year_start.replace(year=year_start.year + 1) - datetime.timedelta(days=1)
    plans = env["lead.funnel.plan"].create(
        [
            {
                "name": f"Bench plan {team.name}",
                "team_id": team.id,
                "date_from": year_start,
                "date_to": year_end,
                "revenue_target": 1_000_000.0,
                "average_deal_value": 10_000.0,
                "conversion_lead_opportunity": 30.0,
                "conversion_opportunity_won": 30.0,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "medium_id": medium.id,
                            "planned_leads": args.leads // (TEAMS * MEDIA),
                            "expected_conversion": 9.0,
                        },
                    )
                    for medium in media
                ],
            }
            for team in teams
        ]
    )
    plans.action_confirm(reason="benchmark")
    env.flush_all()
    print(f"Inserting {args.leads:,} leads with SQL ...", flush=True)
    started = time.perf_counter()
    cr.execute(
        """
        INSERT INTO crm_lead (name, type, active, team_id, medium_id, company_id, stage_id,
                              probability, expected_revenue, create_date, write_date,
                              date_conversion)
        SELECT 'Bench lead ' || g,
               CASE WHEN g %% 10 < 3 THEN 'opportunity' ELSE 'lead' END,
               NOT (g %% 10 = 1),
               (%(teams)s::int[])[1 + g %% %(n_teams)s],
               (%(media)s::int[])[1 + (g / %(n_teams)s) %% %(n_media)s],
               %(company)s,
               CASE WHEN g %% 10 = 0 THEN %(won)s ELSE %(open)s END,
               CASE WHEN g %% 10 = 0 THEN 100 WHEN g %% 10 = 1 THEN 0 ELSE 10 END,
               CASE WHEN g %% 10 = 0 THEN 1000 + (g %% 97) * 100 ELSE 0 END,
               %(start)s::timestamp + ((g %% 365) || ' days')::interval
                   + ((g %% 86400) || ' seconds')::interval,
               now(),
               CASE WHEN g %% 10 < 3 THEN %(start)s::timestamp + ((g %% 365) || ' days')::interval
               END
          FROM generate_series(1, %(n)s) AS g
        """,
        {
            "teams": teams.ids,
            "n_teams": TEAMS,
            "media": media.ids,
            "n_media": MEDIA,
            "company": env.company.id,
            "won": won_stage.id,
            "open": open_stage.id,
            "start": year_start,
            "n": args.leads,
        },
    )
    analyze(cr)
    cr.commit()
    print(f"  inserted in {time.perf_counter() - started:.1f} s", flush=True)
    return plans, year_end


def best_times(funcs, runs):
    """Run the functions in turn, ``runs`` rounds (alternating, so that a burst of
    load on the shared machine hits both alike); best time and last result of each."""
    times, results = [[] for _func in funcs], [None] * len(funcs)
    for _run in range(runs):
        for index, func in enumerate(funcs):
            started = time.perf_counter()
            results[index] = func()
            times[index].append(time.perf_counter() - started)
    return [(min(func_times), result) for func_times, result in zip(times, results, strict=True)]


def main():
    args = parse_args()
    sys.path.insert(0, "/opt/odoo")
    import odoo
    from odoo import SUPERUSER_ID, api

    reuse = False
    if args.reuse:
        found = bench_leads_in(args)
        if found is not None and found != args.leads:
            sys.exit(f"{args.database} holds {found:,} benchmark leads, not {args.leads:,}")
        reuse = found == args.leads
    create_database(args, update=reuse)
    try:
        odoo.tools.config.parse_config([*odoo_args(args), "--log-level=warn"])
        registry = odoo.modules.registry.Registry(args.database)
        year_start = datetime.date(datetime.date.today().year - 1, 1, 1)  # noqa: DTZ011
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            if reuse:
                plans, year_start, year_end = reuse_populated(env, args)
            else:
                plans, year_end = populate(env, args, year_start)
            report = env["lead.funnel.report"]
            leads = env["crm.lead"].with_context(active_test=False)
            groupby = ["team_id", "medium_id"]

            def ours():
                env.invalidate_all()
                return report._read_group(
                    [("plan_id", "in", plans.ids)],
                    groupby,
                    [
                        "planned_leads:sum",
                        "lead_count:sum",
                        "opportunity_count:sum",
                        "won_count:sum",
                        "won_revenue:sum",
                        "conversion_lead_opportunity:avg",
                    ],
                )

            def theirs():
                env.invalidate_all()
                return leads._read_group(
                    [
                        (
                            "create_date",
                            ">=",
                            datetime.datetime.combine(year_start, datetime.time()),
                        ),
                        (
                            "create_date",
                            "<",
                            datetime.datetime.combine(
                                year_end + datetime.timedelta(days=1), datetime.time()
                            ),
                        ),
                    ],
                    groupby,
                    ["__count", "expected_revenue:sum"],
                )

            ours()  # warm the caches of both before timing
            theirs()
            (time_ours, rows_ours), (time_theirs, rows_theirs) = best_times(
                [ours, theirs], args.runs
            )
            actual_ours = sum(row[3] for row in rows_ours)
            actual_theirs = sum(row[2] for row in rows_theirs)
            cr.rollback()
        report_figures(args, rows_ours, time_ours, actual_ours, time_theirs, actual_theirs)
    finally:
        if not args.keep:
            odoo.sql_db.close_db(args.database)
            drop_database(args)


def report_figures(args, rows_ours, time_ours, actual_ours, time_theirs, actual_theirs):
    print()
    print(f"Leads: {args.leads:,}; groups: {len(rows_ours)} (team x medium); best of {args.runs}")
    print(f"{'':46}{'time (s)':>10}{'leads counted':>15}")
    print(
        f"{'lead.funnel.report (plan vs actual, SQL view)':46}{time_ours:>10.3f}{actual_ours:>15,}"
    )
    print(f"{'crm.lead read_group (same grouping)':46}{time_theirs:>10.3f}{actual_theirs:>15,}")
    ratio = time_ours / time_theirs if time_theirs else float("inf")
    print(f"Ratio plan-vs-actual / read_group: {ratio:.2f} (goal <= 2)")


if __name__ == "__main__":
    main()
