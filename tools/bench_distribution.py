#!/usr/bin/env python3
"""Benchmark: lead_distribution against Odoo's own lead assignment, on two databases.

- Baseline: Odoo's ``crm.team._action_assign_leads()`` on a database with **crm only** (none
  of our addons, so it pays none of our overrides), default context (tracking on), committing
  as Odoo's cron does (``crm.assignment.commit.bundle``).
- Ours: a database with the three addons, default context, a scheduled pool run
  (``_distribute_pending(commit=True)``, committing chunk by chunk): once with the same 50
  salespeople as direct members (like for like), once with 50 salespeople and 10 partners.
- The contract alone (side ``write``, not run unless asked for): on the crm-only database,
  no decision at all, the leads dealt out round robin to the 50 salespeople and written with
  one ORM ``write({'user_id', 'team_id'})`` per salesperson, tracking on, committed: what the
  standard write every distribution must match costs by itself (chatter message and
  tracking values, follower with the default subtypes, crm's recomputations), the floor
  under any distribution that goes through Odoo's contracts as Odoo itself produces them.
- The contract in the fewest ORM calls (side ``batched``, not run unless asked for): the same
  grouped writes with Odoo's own tracking switched off, then the tracking values Odoo's
  ``_mail_track`` computes for every lead, posted as one ``mail.message`` create and one
  ``mail.tracking.value`` create (what our distribution does for its chatter). No decision,
  no activity, no decision log, no notification: what is left of the contract's cost when
  every record goes through the ORM in a batch.

Both databases get the same leads (seeded: names, ages, probabilities, customer companies,
media and completeness) and the same 50 salespeople. For every size the script prints both
times, the leads assigned, the spread (max - min over the members) of lead counts and of
quality sums (the quality of a lead as lead_quality scores it in our database, for both
sides), and the artefacts each side produced (tracking values, follower rows with subtypes,
messages, activities), so that a reader sees the same work was done.

Everything the benchmark creates carries the marker ``bench_distribution`` and is deleted
after each run; the tables it writes are vacuumed (autovacuum may be off). Usage::

    .venv/bin/python tools/bench_distribution.py [--sizes 1000,10000,50000] [--reuse]
    .venv/bin/python tools/bench_distribution.py --chunked 100000   # one scheduled run

Odoo versions: the script runs on the series ``$ODOO_VERSION`` names (default 18.0), with that
series' Odoo tree, virtualenv and data directory from ``tools/harness.py`` (``SERIES``), e.g. on
19.0::

    ODOO_VERSION=19.0 .venv19/bin/python tools/bench_distribution.py --sizes 1000 --reuse

Its databases carry the series' tag, so that 18.0 and 19.0 never share one: ``bench_dist_crm``
/ ``bench_dist_ours`` on 18.0, ``bench_dist19_crm`` / ``bench_dist19_ours`` on 19.0. What
differs between the two series (the groups field of users, the author of a message) comes from
``lead_quality/lib/odoo_compat.py``, which is plain Python and serves the crm-only database too.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import timedelta

TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)

import harness  # noqa: E402

MARKER = "bench_distribution"
SETUP_CHUNK = 5000  # leads created per call when setting up
# the sides run on the crm-only database (Odoo's assignment and the two floors of the contract)
CRM_SIDES = ("odoo", "write", "batched")
SIDES = ("ours", "ours+partners", *CRM_SIDES)
# one pair per Odoo series (harness.SERIES tag: none for 18.0, "19" for 19.0)
CRM_DB, OURS_DB = f"bench_dist{harness._TAG}_crm", f"bench_dist{harness._TAG}_ours"
TOUCHED_TABLES = (
    "crm_lead",
    "crm_lead_tag_rel",
    "crm_team_member",
    "crm_lead_distribution_tried_rel",
    "lead_distribution_log",
    "lead_distribution_member",
    "lead_distribution_pool",
    "lead_data_maintenance",
    "mail_activity",
    "mail_followers",
    "mail_followers_mail_message_subtype_rel",
    "mail_mail",
    "mail_message",
    "mail_message_res_partner_rel",
    "mail_notification",
    "mail_tracking_value",
    "bus_bus",
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--salespeople", type=int, default=50)
    parser.add_argument("--partners", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--reuse", action="store_true", help="keep/reuse the two databases")
    parser.add_argument(
        "--chunked", type=int, metavar="N", help="only: one scheduled run over N pending leads"
    )
    parser.add_argument(
        "--sides",
        default="ours,ours+partners,odoo",
        help=f"which sides to run (comma separated: {', '.join(SIDES)})",
    )
    parser.add_argument("--save", metavar="FILE", help="also write the results as JSON")
    parser.add_argument(
        "--baseline",
        metavar="FILE",
        help="take the odoo rows from a --save file of an earlier run instead of running them",
    )
    parser.add_argument("--setup-only", type=int, metavar="N", help=argparse.SUPPRESS)
    return parser.parse_args()


# ---------------------------------------------------------------------------- databases
def ensure_database(name, modules, reuse):
    exists = harness.query("postgres", "SELECT 1 FROM pg_database WHERE datname = %s", (name,))
    if exists and reuse:
        return
    harness.drop_database(name)
    print(f"Installing {modules} into {name} ...", flush=True)
    rc, log_text = harness.run_odoo(
        name,
        ["-i", modules, *harness.demo_args(False), "--stop-after-init", "--log-level=warn"],
        f"bench_install_{name}",
    )
    if rc or harness.problems_in(log_text):
        sys.exit(f"installing {modules} into {name} failed: {harness.problems_in(log_text)}")


def vacuum(database):
    import psycopg2

    conn = psycopg2.connect(
        host=harness.pg_host(), port=harness.pg_port(), user=harness.db_user(), dbname=database
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


def registry_of(database):
    from odoo.modules.registry import Registry

    return Registry(database)


def run_committed(database, func, *args):
    """``func(env, *args)`` as superuser with the default context, committed."""
    from odoo import SUPERUSER_ID, api

    with registry_of(database).cursor() as cr:
        result = func(api.Environment(cr, SUPERUSER_ID, {}), *args)
        cr.commit()
    return result


# ---------------------------------------------------------------------------- data
def lead_values(count, seed, team_id, now):
    """Varied leads, the same for both databases: ages over a year, probabilities, customer
    companies, media, more or less complete contact data."""
    rng = random.Random(seed)
    cities = ["Hamburg", "Berlin", "Köln", "München", "Leipzig", "Bremen", False]
    values = []
    for i in range(count):
        complete = rng.random()
        company = f"{MARKER} customer {rng.randrange(count // 4 + 1):05d}"
        values.append(
            {
                "name": f"{MARKER} lead {i:06d}",
                "type": "lead",
                "team_id": team_id,
                "user_id": False,
                "partner_name": company if complete > 0.2 else False,
                "contact_name": f"Contact {i}" if complete > 0.3 else False,
                "email_from": f"{MARKER}.{i}@example.com" if complete > 0.25 else False,
                "phone": f"+49 30 5550{i:06d}" if complete > 0.5 else False,
                "city": rng.choice(cities) if complete > 0.4 else False,
                "probability": rng.choice([5, 10, 20, 30, 50]),
                "create_date": now - timedelta(days=rng.randrange(365), minutes=i),
                "medium_key": rng.choice(["website", "email", "phone", "direct", "linkedin"]),
            }
        )
    return values


def setup(env, args, size):
    """The team, the salespeople, the partners and ``size`` pending leads (committed)."""
    from odoo.addons.lead_quality.lib.odoo_compat import USER_GROUPS_FIELD

    company = env.company
    salesman = env.ref("sales_team.group_sale_salesman")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True, mail_create_nolog=True)
        .create(
            [
                {
                    "name": f"{MARKER} seller {i:02d}",
                    "login": f"{MARKER}_seller_{i:02d}",
                    "email": f"{MARKER}_seller_{i:02d}@example.com",
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                    USER_GROUPS_FIELD: [(6, 0, salesman.ids)],
                    "notification_type": "inbox",
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
    media = {
        key: env.ref(f"utm.utm_medium_{key}", raise_if_not_found=False)
        for key in ("website", "email", "phone", "direct", "linkedin")
    }
    rows = lead_values(size, args.seed, team.id, env.cr.now())
    create_dates = []
    for row in rows:
        medium = media.get(row.pop("medium_key"))
        row["medium_id"] = medium.id if medium else False
        create_dates.append(row.pop("create_date"))
    # in chunks, the cache emptied after each: one create of 50,000 leads had not finished
    # after 12 minutes (the setup, not the timed part)
    lead_ids = []
    for start in range(0, len(rows), SETUP_CHUNK):
        lead_ids += env["crm.lead"].create(rows[start : start + SETUP_CHUNK]).ids
        env.flush_all()
        env.invalidate_all()
    env.cr.execute(
        "UPDATE crm_lead l SET create_date = v.d FROM unnest(%s::int[], %s::timestamp[]) "
        "AS v(id, d) WHERE l.id = v.id",
        (lead_ids, create_dates),
    )
    env.invalidate_all()
    return users.ids, partners.ids, team.id


def cleanup(env):
    env = env(context={"active_test": False, "tracking_disable": True})
    cr = env.cr
    cr.execute("SELECT id FROM crm_lead WHERE name LIKE %s", (f"{MARKER} lead %",))
    lead_ids = [r[0] for r in cr.fetchall()]
    if "lead.distribution.log" in env:
        cr.execute(
            "DELETE FROM lead_distribution_log WHERE lead_name LIKE %s OR lead_id = ANY(%s)",
            (f"{MARKER} lead %", lead_ids),
        )
        env["lead.distribution.pool"].with_context(active_test=False).search(
            [("name", "=", MARKER)]
        ).sudo().unlink()
    env["mail.mail"].search([("subject", "ilike", "lead")]).unlink()
    env["crm.lead"].browse(lead_ids).unlink()
    env["crm.team"].search([("name", "=", f"{MARKER} team")]).unlink()
    users = env["res.users"].search([("login", "like", f"{MARKER}_seller_%")])
    partner_ids = users.partner_id.ids
    users.unlink()
    env["res.partner"].browse(partner_ids).unlink()
    env["res.partner"].search([("name", "like", f"{MARKER} %")]).unlink()
    env.flush_all()


# ---------------------------------------------------------------------------- the two sides
def artefacts(env, lead_ids):
    cr = env.cr
    counts = {}
    for key, sql in (
        (
            "tracking values",
            "SELECT count(*) FROM mail_tracking_value t JOIN mail_message m ON m.id = "
            "t.mail_message_id WHERE m.model = 'crm.lead' AND m.res_id = ANY(%s)",
        ),
        (
            "followers with subtypes",
            "SELECT count(DISTINCT f.id) FROM mail_followers f JOIN "
            "mail_followers_mail_message_subtype_rel r ON r.mail_followers_id = f.id "
            "WHERE f.res_model = 'crm.lead' AND f.res_id = ANY(%s)",
        ),
        (
            "messages",
            "SELECT count(*) FROM mail_message WHERE model = 'crm.lead' AND res_id = ANY(%s)",
        ),
        (
            "activities",
            "SELECT count(*) FROM mail_activity WHERE res_model = 'crm.lead' AND res_id = ANY(%s)",
        ),
    ):
        cr.execute(sql, (lead_ids,))
        counts[key] = cr.fetchone()[0]
    return counts


def spreads(env, lead_ids, holder_column, quality):
    """Spread of lead counts and of quality sums over the holders of the leads."""
    env.cr.execute(
        f"SELECT {holder_column}, name FROM crm_lead "
        f"WHERE id = ANY(%s) AND {holder_column} IS NOT NULL",
        (lead_ids,),
    )
    per_holder = {}
    for holder, name in env.cr.fetchall():
        count, total = per_holder.get(holder, (0, 0.0))
        per_holder[holder] = (count + 1, total + quality.get(name, 0.0))
    return per_holder


def run_odoo(env, user_ids, team_id):
    team = env["crm.team"].browse(team_id)
    env["crm.team.member"].create(
        [{"crm_team_id": team.id, "user_id": uid, "assignment_max": 100000} for uid in user_ids]
    )
    env.cr.commit()
    start = time.perf_counter()
    team._action_assign_leads(force_quota=True, creation_delta_days=0)
    env.flush_all()
    env.cr.commit()
    return time.perf_counter() - start


def bench_lead_ids(env):
    env.cr.execute("SELECT id FROM crm_lead WHERE name LIKE %s ORDER BY id", (f"{MARKER} lead %",))
    return [row[0] for row in env.cr.fetchall()]


def write_round_robin(leads, user_ids, team_id):
    """The leads dealt out to the salespeople in turn, one ORM write per salesperson (no
    assignment notification, as in Odoo's own assignment)."""
    leads = leads.with_context(mail_auto_subscribe_no_notify=True)
    for index, user_id in enumerate(user_ids):
        leads[index :: len(user_ids)].write({"user_id": user_id, "team_id": team_id})


def run_write(env, user_ids, team_id):
    """The contract alone: one grouped ORM write per salesperson, no decision."""
    leads = env["crm.lead"].browse(bench_lead_ids(env))
    start = time.perf_counter()
    write_round_robin(leads, user_ids, team_id)
    env.flush_all()
    env.cr.commit()
    return time.perf_counter() - start


def run_batched(env, user_ids, team_id):
    """The contract in the fewest ORM calls: grouped writes without Odoo's tracking, then the
    tracking values of every lead in one message create and one tracking value create."""
    from odoo.addons.lead_quality.lib.odoo_compat import message_author

    leads = env["crm.lead"].browse(bench_lead_ids(env))
    start = time.perf_counter()
    fnames = ["user_id", "team_id"]
    leads.fetch(fnames)
    initial = {lead.id: {fname: lead[fname] for fname in fnames} for lead in leads}
    # Odoo's tracking off: its values are posted below, in one batch
    write_round_robin(leads.with_context(mail_notrack=True), user_ids, team_id)
    tracked = leads.fields_get(fnames, attributes=("string", "type", "selection", "currency_field"))
    author_id, email_from = message_author(leads)
    subtype_id = env.ref("mail.mt_note").id
    values, commands = [], []
    for lead in leads:
        commands.append(lead._mail_track(tracked, initial[lead.id])[1])
        values.append(
            {
                "model": "crm.lead",
                "res_id": lead.id,
                "body": "",
                "message_type": "notification",
                "subtype_id": subtype_id,
                "author_id": author_id,
                "email_from": email_from,
                "is_internal": True,
            }
        )
    messages = env["mail.message"].create(values)
    env["mail.tracking.value"].create(
        [
            {**command[2], "mail_message_id": message.id}
            for message, lead_commands in zip(messages, commands, strict=True)
            for command in lead_commands
        ]
    )
    env.flush_all()
    env.cr.commit()
    return time.perf_counter() - start


def run_ours(env, user_ids, partner_ids, team_id):
    members = [(0, 0, {"channel": "direct", "user_id": uid}) for uid in user_ids]
    members += [(0, 0, {"channel": "partner", "partner_id": pid}) for pid in partner_ids]
    pool = env["lead.distribution.pool"].create(
        {
            "name": MARKER,
            "team_ids": [(6, 0, [team_id])],
            "min_grade": False,
            "require_ready": False,
            "mode": "scheduled",
            "member_ids": members,
        }
    )
    env.cr.commit()
    start = time.perf_counter()
    pool._distribute_pending("benchmark", commit=True)
    env.flush_all()
    env.cr.commit()
    return time.perf_counter() - start


def measure(database, side, args, size, quality):
    """One side at one size: set up, run, count, clean up. Returns a result dict."""
    run_committed(database, cleanup)
    vacuum(database)
    user_ids, partner_ids, team_id = run_committed(database, setup, args, size)
    vacuum(database)
    from odoo import SUPERUSER_ID, api

    with registry_of(database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if side == "odoo":
            elapsed = run_odoo(env, user_ids, team_id)
        elif side == "write":
            elapsed = run_write(env, user_ids, team_id)
        elif side == "batched":
            elapsed = run_batched(env, user_ids, team_id)
        else:
            elapsed = run_ours(
                env, user_ids, partner_ids if side == "ours+partners" else [], team_id
            )
        cr.execute("SELECT id, name FROM crm_lead WHERE name LIKE %s", (f"{MARKER} lead %",))
        rows = cr.fetchall()
        lead_ids = [r[0] for r in rows]
        if quality is not None and not quality and database == OURS_DB:
            cr.execute("SELECT name, quality_score FROM crm_lead WHERE id = ANY(%s)", (lead_ids,))
            quality.update(cr.fetchall())
        holders = spreads(env, lead_ids, "user_id", quality or {})
        if side == "ours+partners":
            holders.update(spreads(env, lead_ids, "channel_partner_id", quality or {}))
        result = {
            "side": side,
            "size": size,
            "time": elapsed,
            "assigned": sum(count for count, _q in holders.values()),
            "count_spread": spread(c for c, _q in holders.values()),
            "quality_spread": spread(q for _c, q in holders.values()),
            **artefacts(env, lead_ids),
        }
        if side == "odoo":
            # the lead names per salesperson, so that a later run (--baseline) can compute the
            # quality spread with the qualities our database gives the same leads
            cr.execute(
                "SELECT user_id, array_agg(name) FROM crm_lead "
                "WHERE id = ANY(%s) AND user_id IS NOT NULL GROUP BY user_id",
                (lead_ids,),
            )
            result["lead_names"] = dict(cr.fetchall())
    run_committed(database, cleanup)
    vacuum(database)
    return result


def spread(values):
    values = list(values)
    return (max(values) - min(values)) if values else 0


def print_table(results):
    columns = [
        ("size", 7, "{:>7}"),
        ("side", 15, "{:>15}"),
        ("time", 9, "{:>9.2f}"),
        ("assigned", 9, "{:>9}"),
        ("count_spread", 7, "{:>7}"),
        ("quality_spread", 9, "{:>9.0f}"),
        ("tracking values", 9, "{:>9}"),
        ("followers with subtypes", 10, "{:>10}"),
        ("messages", 9, "{:>9}"),
        ("activities", 10, "{:>10}"),
    ]
    heads = [
        "leads",
        "side",
        "time (s)",
        "assigned",
        "count±",
        "quality±",
        "tracking",
        "followers",
        "messages",
        "activities",
    ]
    print("".join(f"{h:>{w}}" for h, (_k, w, _f) in zip(heads, columns, strict=True)))
    for row in results:
        print("".join(fmt.format(row[key]) for key, _w, fmt in columns))


def main():
    args = parse_args()
    if harness.ODOO_VERSION not in harness.SERIES:
        harness.fail(
            f"ODOO_VERSION={harness.ODOO_VERSION} is not one of {', '.join(harness.SERIES)}"
        )
    harness.check_odoo()
    harness.ensure_postgres()
    from odoo import release
    from odoo.tools import config

    if release.series != harness.ODOO_VERSION:
        harness.fail(
            f"this interpreter runs Odoo {release.series}, not {harness.ODOO_VERSION}: "
            f"run the script with {harness.venv_python()}"
        )
    config.parse_config(
        [
            f"--addons-path={harness.odoo_addons_path()},{harness.REPO}",
            f"--data-dir={harness.DATA_DIR}",
            f"--db_host={harness.pg_host()}",
            f"--db_port={harness.pg_port()}",
            f"--db_user={harness.db_user()}",
            "--log-level=warn",
        ]
    )
    if args.setup_only:
        setup_only(args)
        return
    ensure_database(OURS_DB, "lead_reporting", args.reuse)
    if args.chunked:
        chunked_run(args)
        return
    results, sizes = compare(args)
    print_summary(results, sizes)


def compare(args):
    """Every side at every size (the odoo rows possibly from ``--baseline``): the results."""
    sides = args.sides.split(",")
    baseline = {}
    if args.baseline:
        with open(args.baseline, encoding="utf-8") as handle:
            baseline = {(r["size"], r["side"]): r for r in json.load(handle)}
    if set(CRM_SIDES) & set(sides) and not baseline:
        ensure_database(CRM_DB, "crm", args.reuse)
    sizes = [int(size) for size in args.sizes.split(",")]
    results = []
    for size in sizes:
        # the quality of every lead as lead_quality scores it (our database), for both sides
        quality = {}
        print(f"{size} leads ...", flush=True)
        rows = []
        for side in SIDES:
            if (size, side) in baseline:
                row = dict(baseline[(size, side)])
                if quality:
                    row["quality_spread"] = spread(
                        sum(quality.get(name, 0.0) for name in names)
                        for names in row["lead_names"].values()
                    )
                rows.append(row)
            elif side in sides:
                rows.append(
                    measure(CRM_DB if side in CRM_SIDES else OURS_DB, side, args, size, quality)
                )
        print_table(rows)
        results += rows
        if args.save:  # after every size: a long run stopped midway keeps what it measured
            with open(args.save, "w", encoding="utf-8") as handle:
                json.dump(results, handle, indent=1)
    return results, sizes


def print_summary(results, sizes):
    print()
    print("lead_distribution (ours: 50 direct; ours+partners: 50 direct + 10 partners) against")
    print("Odoo's crm.team._action_assign_leads (odoo: 50 salespeople, crm-only database):")
    print_table(results)
    print()
    by = {(r["size"], r["side"]): r for r in results}

    def time_of(size, side):
        row = by.get((size, side))
        return row["time"] if row else None

    for size in sizes:
        odoo_time = time_of(size, "odoo")
        parts = []
        for side in ("ours", "ours+partners"):
            if odoo_time and time_of(size, side):
                parts.append(f"Odoo / {side} {odoo_time / time_of(size, side):.1f}x")
        for side, label in (
            ("write", "the standard write alone"),
            ("batched", "the contract in the fewest ORM calls"),
        ):
            if odoo_time and time_of(size, side):
                parts.append(f"Odoo / {label} {odoo_time / time_of(size, side):.1f}x")
        if parts:
            print(f"{size:>7} leads: " + ", ".join(parts))
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        for side in ("ours", *CRM_SIDES):
            if time_of(first, side) and time_of(last, side):
                growth = time_of(last, side) / time_of(first, side)
                print(f"{side}: {last / first:.0f}x the leads took {growth:.1f}x the time")
    if time_of(10000, "odoo") and time_of(10000, "ours"):
        ratio = time_of(10000, "odoo") / time_of(10000, "ours")
        print(
            f"goal at 10,000 leads: at least 5x faster; measured {ratio:.1f}x: "
            f"{'met' if ratio >= 5 else 'NOT met'}"
        )


def chunked_run(args):
    """One scheduled run over ``args.chunked`` pending leads, committed chunk by chunk.

    The leads are created by a child process (``--setup-only``), so that the peak memory this
    process prints is the run's own, not that of creating the leads."""
    run_committed(OURS_DB, cleanup)
    vacuum(OURS_DB)
    child = subprocess.run(
        [
            sys.executable,
            os.path.abspath(__file__),
            f"--setup-only={args.chunked}",
            f"--salespeople={args.salespeople}",
            f"--partners={args.partners}",
            f"--seed={args.seed}",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    user_ids, partner_ids, team_id = json.loads(child.stdout.strip().splitlines()[-1])
    vacuum(OURS_DB)
    from odoo import SUPERUSER_ID, api

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with registry_of(OURS_DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        elapsed = run_ours(env, user_ids, partner_ids, team_id)
        cr.execute(
            "SELECT count(*), count(DISTINCT lead_id) FROM lead_distribution_log "
            "WHERE lead_name LIKE %s",
            (f"{MARKER} lead %",),
        )
        logs, distinct = cr.fetchone()
        cr.execute(
            "SELECT count(*) FROM crm_lead WHERE name LIKE %s "
            "AND (user_id IS NOT NULL OR channel_partner_id IS NOT NULL)",
            (f"{MARKER} lead %",),
        )
        (assigned,) = cr.fetchone()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{args.chunked} pending leads in one scheduled run: {elapsed:.1f} s, {assigned} assigned, "
        f"{logs} decisions for {distinct} leads; peak memory of the process {peak / 1024:.0f} MB "
        f"(before the run, registry loaded: {before / 1024:.0f} MB)"
    )
    run_committed(OURS_DB, cleanup)
    vacuum(OURS_DB)


def setup_only(args):
    """The child of ``chunked_run``: create the leads in chunks, print the ids as JSON."""
    from odoo import SUPERUSER_ID, api

    with registry_of(OURS_DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        ids = setup(env, args, args.setup_only)
        cr.commit()
    print(json.dumps(ids))


if __name__ == "__main__":
    main()
