#!/usr/bin/env python3
"""Benchmarks of the lead management addons against crm-only databases: one table (R24).

Every row times what a customer does every day, once on a database with our three addons
(``ours``) and once on a database where none of them is installed (``crm only``), on the same
seeded, varied data, as an internal user who is not the superuser (the administrator), with
nothing of ours switched off. Rows:

* ``create``     creating N varied incoming leads in one ``create`` (goal: at most 1.15x crm
  only), with Odoo's mass-creation mail keys on both sides (no "created" message, follower and
  "you have been assigned" e-mail per lead);
* ``stage``      one bulk write of the stage (no medium requires it) on N leads (1.05x), with
  Odoo's mail tracking off on both sides;
* ``maintained`` one bulk write of the phone number (a maintained and tracked field, required
  by some media) on N leads, mail tracking on, the data-maintenance acts recorded (1.3x);
* ``rescore``    re-scoring after a re-ranking of every ranked medium, written medium by
  medium as the rank-proposal wizard does, over N varied leads, against one plain SQL
  ``UPDATE`` of the same rows on the same database (2x); the number of distinct scoring
  inputs among those leads is printed;
* ``report``     plan versus actual (``lead.funnel.report``) over N varied leads against crm's
  own ``crm.lead`` read_group with the same grouping on the crm-only database (1.5x).

The mail keys are Odoo's, read by none of our code, and the same on both sides: they take away
work both sides would do alike (one chatter message per lead), which makes our share weigh
more, not less.

Data: leads spread over media (and some without), teams of two companies (two teams sell
complex offers), salespeople, customers, countries, stages, won and lost deals, completeness
levels (each lead carries a random share of the fields the media require), verification dates
(up to two years back, some never), touches by further media and ages up to two years,
drawn from one seeded generator: every run and both sides get the same leads.

Databases (kept between runs, rebuilt when the code's versions or schema or the data set
change): ``lqbench_tpl_crm`` / ``lqbench_tpl_ours`` are fresh installs without demo data
(``crm``; ``lead_reporting`` with its dependencies); the data sets are copies of them:
``lqbench_main_<n>_<side>`` (the leads of the write and re-score rows) and
``lqbench_report_<n>_<side>``. Every timed operation runs in a transaction that is rolled
back; the tables it touched are vacuumed afterwards (autovacuum is off on the development
server), and the two sides alternate from round to round. Times are the median of the rounds.

Usage (normally ``python3 tools/harness.py bench [--quick]`` or ``make bench``)::

    .venv/bin/python tools/bench.py [--quick] [--rounds N] [--only create --only stage ...]
        [--rebuild] [--size N]

``--size N`` gives every row N leads instead of its full or quick size (the write and re-score
rows share a data set of 2N), e.g. a smoke run: ``--size 100 --rounds 1`` (about 2 minutes the
first time, most of it installing the two templates); its databases are kept like the others.

Odoo versions: the script runs on the series ``$ODOO_VERSION`` names (default 18.0), with that
series' Odoo tree, virtualenv and data directory from ``tools/harness.py`` (``SERIES``); the
harness passes the variable on. On 19.0::

    ODOO_VERSION=19.0 python3 tools/harness.py bench --quick
    ODOO_VERSION=19.0 .venv19/bin/python tools/bench.py --size 100 --rounds 1
    ODOO_VERSION=19.0 .venv19/bin/python tools/bench.py --crm-query-counts

The databases carry the series' tag, so that 18.0 and 19.0 never share one: ``lqbench_*`` on
18.0 (as above), ``lqbench19_*`` on 19.0 (``lqbench19_tpl_crm``, ``lqbench19_main_<n>_ours``,
``lqbench19_demo_crm`` ...). What differs between the two series (the groups field of users,
the option that loads demo data) comes from ``lead_quality/lib/odoo_compat.py`` and the
harness, once; the compatibility module is plain Python and serves the crm-only databases too.
"""

import argparse
import contextlib
import datetime
import gc
import hashlib
import importlib.util
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # next to this script: the Odoo series, their trees and data directories

ROOT = harness.REPO
# the Odoo series $ODOO_VERSION names (harness.SERIES): its tree, data directory and the tag of
# its database names (none for 18.0, "19" for 19.0: lqbench19_...)
ODOO_VERSION = harness.ODOO_VERSION
ODOO_PATH = harness.odoo_path() if ODOO_VERSION in harness.SERIES else None  # else: main() stops
DATA_DIR = harness.DATA_DIR
DB_PREFIX = f"lqbench{harness._TAG}_"
OUR_ADDONS = ("lead_quality", "lead_distribution", "lead_reporting")
SIDES = ("ours", "crm")
SIDE_LABEL = {"ours": "ours", "crm": "crm only"}
SEED = 20261201
# bump when the generated data changes: kept databases are filled again
DATA_VERSION = 2

# sizes: (full, quick)
SIZES = {
    "create": (10_000, 1_000),
    "stage": (10_000, 3_000),
    "maintained": (1_000, 200),
    "rescore": (100_000, 20_000),
    "report": (1_000_000, 100_000),
}
# rounds per row: (full, quick)
ROUNDS = {
    "create": (5, 3),
    "stage": (9, 7),
    "maintained": (7, 5),
    "rescore": (5, 3),
    "report": (9, 7),
}
GOALS = {"create": 1.15, "stage": 1.05, "maintained": 1.3, "rescore": 2.0, "report": 1.5}
ROWS = ("create", "stage", "maintained", "rescore", "report")
# the timed operations of a row and the tables they write (vacuumed after each round)
WRITTEN_TABLES = (
    "crm_lead",
    "mail_message",
    "mail_tracking_value",
    "mail_followers",
    "mail_followers_mail_message_subtype_rel",
    "res_partner",
    "crm_lead_quality_touch_medium_rel",
    "lead_data_maintenance",
    "crm_tag_rel",
)

# context of the create row (see bench_create)
CREATE_CONTEXT = {
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_auto_subscribe_no_notify": True,
}
# media: (key, xml id in the crm-only database or None, xml id with our addons, weight)
MEDIA = (
    ("phone", "utm.utm_medium_phone", "utm.utm_medium_phone", 14),
    ("email", "utm.utm_medium_email", "utm.utm_medium_email", 14),
    ("post", None, "lead_quality.utm_medium_direct_mail_post", 8),
    ("event", None, "lead_quality.utm_medium_event", 12),
    ("fair", None, "lead_quality.utm_medium_trade_fair", 12),
    ("website", "utm.utm_medium_website", "utm.utm_medium_website", 20),
    ("banner", "utm.utm_medium_banner", "utm.utm_medium_banner", 4),
    ("adwords", "utm.utm_medium_google_adwords", "utm.utm_medium_google_adwords", 4),
    ("linkedin", "utm.utm_medium_linkedin", "utm.utm_medium_linkedin", 4),
    ("facebook", "utm.utm_medium_facebook", "utm.utm_medium_facebook", 3),
    (None, None, None, 5),
)
# names of the media the crm-only database does not have (created there by name)
MEDIUM_NAMES = {"post": "Direct Mail (Post)", "event": "Event / Seminar", "fair": "Trade Fair"}
# teams: (name, company key, offer type proposed by the team with our addons)
TEAMS = (
    ("Bench Direct North", "a", False),
    ("Bench Direct South", "a", False),
    ("Bench Projects", "a", "complex"),
    ("Bench Inside Sales", "a", "standard"),
    ("Bench Direct B", "b", False),
    ("Bench Projects B", "b", "complex"),
)
SALESPEOPLE_PER_TEAM = 3
CUSTOMERS = 2_000
COUNTRIES = (("base.de", 50), ("base.at", 15), ("base.ch", 15), ("base.fr", 10), (None, 10))
STAGES = ("crm.stage_lead1", "crm.stage_lead2", "crm.stage_lead3", "crm.stage_lead4")
# the fields media require (filled by completeness level), with a value maker
INFO_FIELDS = (
    "contact_name",
    "partner_name",
    "function",
    "phone",
    "email_from",
    "description",
    "street",
    "zip",
    "city",
    "website",
)
# share of the information fields a lead carries, by completeness level
LEVELS = ((0.97, 35), (0.75, 35), (0.45, 20), (0.15, 10))
FUNCTIONS = ("CIO", "CTO", "Head of IT", "IT Manager", "Purchasing", "CEO", "Admin")
CITIES = (
    ("Berlin", "10115"),
    ("Köln", "50667"),
    ("München", "80331"),
    ("Wien", "1010"),
    ("Zürich", "8001"),
    ("Lyon", "69001"),
    ("Hamburg", "20095"),
    ("Leipzig", "04109"),
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (under 5 minutes)")
    parser.add_argument("--rounds", type=int, help="rounds of every row (default: per row)")
    parser.add_argument("--only", action="append", choices=ROWS, help="run only these rows")
    parser.add_argument(
        "--size",
        type=int,
        metavar="N",
        help="N leads for every row instead of its full or --quick size (e.g. a smoke run)",
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="drop and rebuild every benchmark database"
    )
    parser.add_argument(
        "--crm-query-counts",
        action="store_true",
        help="instead of the benchmarks: Odoo's own crm performance tests (query counts) on a "
        "crm-only and on our database, both with demo data",
    )
    parser.add_argument("--db-host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--db-port", default=os.environ.get("PGPORT", "5432"))
    parser.add_argument("--db-user", default=os.environ.get("ODOO_DB_USER", "odoo"))
    args = parser.parse_args(argv)
    if args.rounds is not None and args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.size is not None and args.size < 1:
        parser.error("--size must be at least 1")
    # rounds per row: the short rows get more (the machine's load moves single rounds by
    # +-40 %); --rounds sets them all
    args.row_rounds = {
        row: args.rounds or rounds[1 if args.quick else 0] for row, rounds in ROUNDS.items()
    }
    args.sizes = {row: args.size or sizes[1 if args.quick else 0] for row, sizes in SIZES.items()}
    args.rows = tuple(row for row in ROWS if not args.only or row in args.only)
    return args


# --------------------------------------------------------------------------
# PostgreSQL and databases
# --------------------------------------------------------------------------
def pg_connect(args, dbname):
    import psycopg2

    conn = psycopg2.connect(host=args.db_host, port=args.db_port, user=args.db_user, dbname=dbname)
    conn.autocommit = True
    return conn


def pg_run(args, dbname, sql, params=None):
    with contextlib.closing(pg_connect(args, dbname)) as conn, conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall() if cur.description else None


def db_exists(args, dbname):
    return bool(pg_run(args, "postgres", "SELECT 1 FROM pg_database WHERE datname = %s", [dbname]))


def forget_db(dbname):
    """Close this process's connections to ``dbname`` and drop its registry."""
    from odoo.modules.registry import Registry
    from odoo.sql_db import close_db

    close_db(dbname)
    Registry.delete(dbname)


def drop_db(args, dbname):
    forget_db(dbname)
    pg_run(args, "postgres", f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    shutil.rmtree(os.path.join(DATA_DIR, "filestore", dbname), ignore_errors=True)


def copy_db(args, source, target):
    forget_db(source)
    pg_run(args, "postgres", f'CREATE DATABASE "{target}" WITH TEMPLATE "{source}"')
    filestore = os.path.join(DATA_DIR, "filestore", source)
    if os.path.isdir(filestore):
        shutil.copytree(filestore, os.path.join(DATA_DIR, "filestore", target))


def vacuum(args, dbname, tables=WRITTEN_TABLES, analyze=False):
    """Reclaim the dead rows a rolled-back round left behind (autovacuum may be off)."""
    existing = {
        row[0]
        for row in pg_run(
            args,
            dbname,
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY(%s)",
            [list(tables)],
        )
    }
    names = ", ".join(f'"{table}"' for table in tables if table in existing)
    if names:
        pg_run(args, dbname, f"VACUUM {'ANALYZE ' if analyze else ''}{names}")


def odoo_cli(args, dbname, *options, capture=False):
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        f"--addons-path={harness.odoo_addons_path()},{ROOT}",
        f"--data-dir={DATA_DIR}",
        f"--db_host={args.db_host}",
        f"--db_port={args.db_port}",
        f"--db_user={args.db_user}",
        "-d",
        dbname,
        "--stop-after-init",
        "--http-port=0",
        "--gevent-port=0",
        *options,
    ]
    if not any(option.startswith("--log-level") for option in options):
        cmd.append("--log-level=warn")
    if capture:
        proc = subprocess.run(
            cmd, check=False, cwd=ROOT, capture_output=True, text=True, encoding="utf-8"
        )
        log = proc.stdout + proc.stderr
        # a failed test makes Odoo exit with 1: its report is in the log, for the caller to
        # print (crm's own query-count tests fail on 19.0); without a report, stop here
        if proc.returncode and not _TEST_REPORT.search(log):
            sys.exit(f"{' '.join(cmd)}\nexited with {proc.returncode}:\n{log[-5000:]}")
        return log
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return None


def manifest_versions():
    import ast

    versions = {}
    for addon in OUR_ADDONS:
        with open(os.path.join(ROOT, addon, "__manifest__.py"), encoding="utf-8") as handle:
            versions[addon] = ast.literal_eval(handle.read())["version"]
    return versions


def installed_versions(args, dbname):
    rows = pg_run(
        args,
        dbname,
        "SELECT name, latest_version FROM ir_module_module WHERE name = ANY(%s) "
        "AND state = 'installed'",
        [list(OUR_ADDONS)],
    )
    return dict(rows)


def schema_missing(args, dbname):
    """Stored columns the current code declares that the database lacks (e.g. a new field)."""
    registry = load_registry(dbname)
    columns = set(
        pg_run(
            args,
            dbname,
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public'",
        )
    )
    missing = []
    for model in registry.models.values():
        if model._abstract or not model._auto or model._table_query:
            continue
        for field in model._fields.values():
            if field.store and field.column_type and (model._table, field.name) not in columns:
                missing.append(f"{model._name}.{field.name}")
    return missing


def up_to_date(args, dbname, side):
    """Whether an existing database matches the current code (versions and columns)."""
    if side == "ours":
        # the manifests carry versions without the series: Odoo installs them as <series>.<v>
        wanted = {
            addon: version
            if version.startswith(f"{ODOO_VERSION}.")
            else f"{ODOO_VERSION}.{version}"
            for addon, version in manifest_versions().items()
        }
        if installed_versions(args, dbname) != wanted:
            return False
    try:
        return not schema_missing(args, dbname)
    except Exception:  # a registry that cannot load is out of date
        return False


def load_registry(dbname):
    from odoo.modules.registry import Registry

    return Registry(dbname)


def data_signature(kind, size):
    digest = hashlib.sha256(f"{kind}:{size}:{SEED}:{DATA_VERSION}".encode()).hexdigest()
    return digest[:16]


def stored_signature(args, dbname):
    rows = pg_run(
        args, dbname, "SELECT value FROM ir_config_parameter WHERE key = 'lead_bench.data'"
    )
    return rows[0][0] if rows else None


def ensure_template(args, side):
    name = f"{DB_PREFIX}tpl_{side}"
    if db_exists(args, name) and not args.rebuild and up_to_date(args, name, side):
        return name
    drop_db(args, name)
    module = "lead_reporting" if side == "ours" else "crm"
    print(f"  installing {module} into {name} (no demo data) ...", flush=True)
    odoo_cli(args, name, "-i", module, *harness.demo_args(False))
    return name


def ensure_dataset(args, kind, size, side, fill):
    """Database of a data set, filled by ``fill(env, size)`` when missing or outdated."""
    name = f"{DB_PREFIX}{kind}_{size}_{side}"
    signature = data_signature(kind, size)
    if (
        db_exists(args, name)
        and not args.rebuild
        and stored_signature(args, name) == signature
        and up_to_date(args, name, side)
    ):
        return name
    template = ensure_template(args, side)
    drop_db(args, name)
    copy_db(args, template, name)
    print(f"  filling {name} with {size:,} leads ...", flush=True)
    started = time.perf_counter()
    registry = load_registry(name)
    with registry.cursor() as cr:
        env = setup_env(cr)
        fill(env, size, side)
        env["ir.config_parameter"].set_param("lead_bench.data", signature)
        env.flush_all()
        cr.commit()
    vacuum(args, name, tables=("crm_lead", "res_partner"), analyze=True)
    pg_run(args, name, "ANALYZE")
    print(f"  {name} filled in {time.perf_counter() - started:.0f} s", flush=True)
    return name


def setup_env(cr):
    from odoo import SUPERUSER_ID, api

    return api.Environment(
        cr,
        SUPERUSER_ID,
        {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True},
    )


# --------------------------------------------------------------------------
# Data: one seeded generator for both sides
# --------------------------------------------------------------------------
def weighted(rng, choices):
    keys = [key for key, _weight in choices]
    weights = [weight for _key, weight in choices]
    return rng.choices(keys, weights)[0]


class Catalog:
    """The reference records of one database, by the generator's keys."""

    def __init__(self, env, side):
        # plain Python (odoo.release only): also for the crm-only database
        from odoo.addons.lead_quality.lib.odoo_compat import USER_GROUPS_FIELD

        self.env, self.side = env, side
        self.company = {"a": env.ref("base.main_company")}
        company_b = env["res.company"].search([("name", "=", "Bench Company B")], limit=1)
        self.company["b"] = company_b or env["res.company"].create({"name": "Bench Company B"})
        companies = self.company["a"] | self.company["b"]
        env.ref("base.user_admin").write(
            {"company_ids": [(4, company.id) for company in companies]}
        )
        self.medium = {}
        for key, crm_xmlid, our_xmlid, _weight in MEDIA:
            if key is None:
                continue
            xmlid = our_xmlid if side == "ours" else crm_xmlid
            medium = env.ref(xmlid) if xmlid else None
            if medium is None:
                medium = env["utm.medium"].search([("name", "=", MEDIUM_NAMES[key])], limit=1)
                medium = medium or env["utm.medium"].create({"name": MEDIUM_NAMES[key]})
            self.medium[key] = medium.id
        self.stage = [env.ref(xmlid).id for xmlid in STAGES]
        self.won_stage = self.stage[-1]
        self.country = {xmlid: env.ref(xmlid).id for xmlid, _weight in COUNTRIES if xmlid}
        self.teams, self.members, self.team_company = [], [], []
        group = env.ref("sales_team.group_sale_salesman")
        for index, (name, company_key, offer_type) in enumerate(TEAMS):
            company = self.company[company_key]
            team = env["crm.team"].search([("name", "=", name)], limit=1)
            if not team:
                vals = {"name": name, "company_id": company.id, "use_leads": True}
                if side == "ours" and offer_type:
                    vals["lead_offer_type"] = offer_type
                team = env["crm.team"].create(vals)
            users = env["res.users"].search(
                [("login", "=like", f"lqbench_sales_{index}_%")], order="login"
            )
            if not users:
                users = env["res.users"].create(
                    [
                        {
                            "name": f"Bench Salesperson {index}.{number}",
                            "login": f"lqbench_sales_{index}_{number}",
                            "company_id": company.id,
                            "company_ids": [(6, 0, companies.ids)],
                            USER_GROUPS_FIELD: [(6, 0, [group.id])],
                        }
                        for number in range(SALESPEOPLE_PER_TEAM)
                    ]
                )
                env["crm.team.member"].create(
                    [{"crm_team_id": team.id, "user_id": user.id} for user in users]
                )
            self.teams.append(team.id)
            self.members.append(users.ids)
            self.team_company.append(company.id)
        customers = env["res.partner"].search([("name", "=like", "Bench Customer %")], order="id")
        if not customers:
            rng = random.Random(SEED + 1)
            customers = env["res.partner"].create(
                [
                    {
                        "name": f"Bench Customer {number}",
                        "is_company": True,
                        "email": f"info{number}@customer{number}.example.com",
                        "phone": f"+49 30 7{number:06d}",
                        "city": rng.choice(CITIES)[0],
                    }
                    for number in range(CUSTOMERS)
                ]
            )
        self.customers = customers.ids
        self.admin = env.ref("base.user_admin")


class LeadGenerator:
    """Seeded logical leads (same on both sides), turned into ORM values or SQL columns."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def lead(self, number):
        rng = self.rng
        medium = weighted(rng, [(key, weight) for key, _c, _o, weight in MEDIA])
        share = weighted(rng, LEVELS)
        info = {fname for fname in INFO_FIELDS if rng.random() < share}
        team = rng.randrange(len(TEAMS))
        is_opportunity = rng.random() < 0.35
        stage = rng.choices(
            range(len(STAGES)), (55, 20, 15, 10) if is_opportunity else (90, 10, 0, 0)
        )[0]
        lost = stage < 3 and rng.random() < 0.08
        city, zip_code = rng.choice(CITIES)
        touches = rng.sample(
            [key for key, _c, _o, _w in MEDIA if key and key != medium],
            k=weighted(rng, ((0, 70), (1, 20), (2, 8), (3, 2))),
        )
        return {
            "number": number,
            "medium": medium,
            "team": team,
            "member": rng.randrange(SALESPEOPLE_PER_TEAM) if rng.random() < 0.7 else None,
            "customer": rng.randrange(CUSTOMERS) if rng.random() < 0.3 else None,
            "type": "opportunity" if is_opportunity else "lead",
            "stage": stage,
            "lost": lost,
            "info": info,
            "contact_name": f"Contact {number}",
            "partner_name": f"Company {number % 5000} GmbH",
            "function": rng.choice(FUNCTIONS),
            "phone": f"+49 30 {1000000 + number}",
            "email_from": f"contact{number}@company{number % 5000}.example.com",
            "description": f"<p>Interested in offer {number % 37}</p>",
            "street": f"Hauptstraße {number % 200 + 1}",
            "zip": zip_code,
            "city": city,
            "website": f"https://company{number % 5000}.example.com",
            "country": weighted(rng, COUNTRIES),
            "revenue": float(rng.randrange(10, 500) * 100) if is_opportunity else 0.0,
            "priority": rng.choice("0001123"),
            "verified_days": None if rng.random() < 0.1 else rng.randrange(0, 730),
            "touches": touches,
            "age_days": rng.randrange(0, 730),
            "offer_flip": rng.random() < 0.1,
        }

    def leads(self, count, start=0):
        return [self.lead(number) for number in range(start, start + count)]


def orm_vals(lead, catalog, today, incoming=False):
    """Values of one logical lead for ``crm.lead.create`` on ``catalog``'s database.

    ``incoming``: a lead as it comes in (web form, import of a fair's contacts), in the
    team's first stage; otherwise in the generator's stage, except won ones (set afterwards:
    crm's predictive-scoring tables would be updated lead by lead)."""
    team = lead["team"]
    vals = {
        "name": f"Bench lead {lead['number']}",
        "type": lead["type"],
        "team_id": catalog.teams[team],
        "company_id": catalog.team_company[team],
        "user_id": catalog.members[team][lead["member"]] if lead["member"] is not None else False,
        "priority": lead["priority"],
        "expected_revenue": lead["revenue"],
        "country_id": catalog.country.get(lead["country"], False),
    }
    if not incoming:
        vals["stage_id"] = catalog.stage[min(lead["stage"], len(STAGES) - 2)]
    if lead["medium"]:
        vals["medium_id"] = catalog.medium[lead["medium"]]
    # a lead of a known customer takes the customer's e-mail and phone (writing other ones
    # would write them on the customer)
    own = set(INFO_FIELDS)
    if lead["customer"] is not None:
        vals["partner_id"] = catalog.customers[lead["customer"]]
        own -= {"email_from", "phone"}
    for fname in own:
        if fname in lead["info"]:
            vals[fname] = lead[fname]
    if catalog.side == "ours":
        vals["data_verified_date"] = (
            today - datetime.timedelta(days=lead["verified_days"])
            if lead["verified_days"] is not None
            else False
        )
        if lead["touches"]:
            vals["touch_medium_ids"] = [(4, catalog.medium[key]) for key in lead["touches"]]
    return vals


def fill_main(env, size, side):
    """The leads of the write and re-score rows, created through the ORM in batches."""
    catalog = Catalog(env, side)
    generator = LeadGenerator(SEED)
    today = datetime.date.today()  # noqa: DTZ011 - a day, as Odoo's context_today
    Lead = env["crm.lead"]
    batch = 5_000
    for start in range(0, size, batch):
        leads = generator.leads(min(batch, size - start), start)
        records = Lead.create([orm_vals(lead, catalog, today) for lead in leads])
        pairs = list(zip(records, leads, strict=True))
        if side == "ours":
            # some leads' offer type differs from their team's proposal
            flips = Lead.browse([record.id for record, lead in pairs if lead["offer_flip"]])
            to_complex = flips.filtered(lambda rec: rec.offer_type == "standard")
            to_complex.write({"offer_type": "complex"})
            (flips - to_complex).write({"offer_type": "standard"})
        env.flush_all()
        # ages; won and lost deals as crm would leave them (without its scoring tables)
        env.cr.execute(
            """
            UPDATE crm_lead lead
               SET create_date = now() - make_interval(days => age.days),
                   date_open = CASE WHEN lead.user_id IS NOT NULL
                                    THEN now() - make_interval(days => age.days) END,
                   stage_id = CASE WHEN age.won THEN %s ELSE lead.stage_id END,
                   probability = CASE WHEN age.won THEN 100 WHEN age.lost THEN 0
                                      ELSE lead.probability END,
                   active = NOT age.lost,
                   date_closed = CASE WHEN age.won OR age.lost
                                      THEN now() - make_interval(days => age.days / 2) END
              FROM unnest(%s::int[], %s::int[], %s::bool[], %s::bool[])
                   AS age(id, days, won, lost)
             WHERE lead.id = age.id
            """,
            (
                catalog.won_stage,
                records.ids,
                [lead["age_days"] for lead in leads],
                [lead["stage"] == len(STAGES) - 1 for lead in leads],
                [lead["lost"] for lead in leads],
            ),
        )
        env.invalidate_all()
        env.cr.commit()
        print(f"    {start + len(leads):,} leads", flush=True)


def fill_report(env, size, side):
    """The leads of plan versus actual, inserted with SQL (a million through the ORM would
    take half an hour), and one confirmed funnel plan per team for last year (ours)."""
    catalog = Catalog(env, side)
    rng = random.Random(SEED + 2)
    cr = env.cr
    today = datetime.date.today()  # noqa: DTZ011
    year_start = datetime.date(today.year - 1, 1, 1)
    campaigns = env["utm.campaign"].create([{"name": f"Bench campaign {i}"} for i in range(8)])
    medium_keys = [(key, weight) for key, _c, _o, weight in MEDIA]
    chunk = 100_000
    ours = side == "ours"
    for start in range(0, size, chunk):
        count = min(chunk, size - start)
        cols = {
            name: []
            for name in (
                "name",
                "type",
                "active",
                "company_id",
                "team_id",
                "user_id",
                "medium_id",
                "campaign_id",
                "stage_id",
                "probability",
                "expected_revenue",
                "create_date",
                "date_conversion",
                "offer_type",
                "data_verified_date",
                "data_completeness",
            )
        }
        for number in range(start, start + count):
            team = rng.randrange(len(TEAMS))
            medium = weighted(rng, medium_keys)
            is_opportunity = rng.random() < 0.3
            won = is_opportunity and rng.random() < 0.3
            lost = is_opportunity and not won and rng.random() < 0.3
            created = datetime.datetime.combine(year_start, datetime.time()) + datetime.timedelta(
                days=rng.randrange(0, 730), seconds=rng.randrange(86400)
            )
            cols["name"].append(f"Bench lead {number}")
            cols["type"].append("opportunity" if is_opportunity else "lead")
            cols["active"].append(not lost)
            cols["company_id"].append(catalog.team_company[team])
            cols["team_id"].append(catalog.teams[team])
            cols["user_id"].append(
                catalog.members[team][rng.randrange(SALESPEOPLE_PER_TEAM)]
                if rng.random() < 0.7
                else None
            )
            cols["medium_id"].append(catalog.medium[medium] if medium else None)
            cols["campaign_id"].append(
                campaigns[rng.randrange(len(campaigns))].id if rng.random() < 0.6 else None
            )
            cols["stage_id"].append(catalog.won_stage if won else catalog.stage[rng.randrange(3)])
            cols["probability"].append(100.0 if won else 0.0 if lost else 10.0)
            cols["expected_revenue"].append(
                float(rng.randrange(10, 500) * 100) if is_opportunity else 0.0
            )
            cols["create_date"].append(created)
            cols["date_conversion"].append(
                created + datetime.timedelta(days=rng.randrange(1, 60)) if is_opportunity else None
            )
            cols["offer_type"].append(
                TEAMS[team][2] or ("complex" if rng.random() < 0.1 else "standard")
            )
            cols["data_verified_date"].append(
                None if rng.random() < 0.1 else today - datetime.timedelta(days=rng.randrange(730))
            )
            cols["data_completeness"].append(rng.choice((0, 20, 25, 33, 50, 60, 67, 75, 80, 100)))
        names = [
            name
            for name in cols
            if ours or name not in ("offer_type", "data_verified_date", "data_completeness")
        ]
        types = {
            "name": "varchar",
            "type": "varchar",
            "active": "bool",
            "company_id": "int",
            "team_id": "int",
            "user_id": "int",
            "medium_id": "int",
            "campaign_id": "int",
            "stage_id": "int",
            "probability": "float8",
            "expected_revenue": "numeric",
            "create_date": "timestamp",
            "date_conversion": "timestamp",
            "offer_type": "varchar",
            "data_verified_date": "date",
            "data_completeness": "int",
        }
        cr.execute(
            f"""
            INSERT INTO crm_lead ({", ".join(names)}, write_date, create_uid, write_uid)
            SELECT *, now(), 1, 1 FROM unnest({", ".join(f"%s::{types[n]}[]" for n in names)})
            """,
            [cols[name] for name in names],
        )
        cr.commit()
        print(f"    {start + count:,} leads", flush=True)
    if ours:
        # the stored quality of the inserted leads, set-based
        cr.execute("SELECT id FROM crm_lead WHERE name LIKE 'Bench lead %%' ORDER BY id")
        ids = [row[0] for row in cr.fetchall()]
        for start in range(0, len(ids), 200_000):
            env["crm.lead"].browse(ids[start : start + 200_000])._quality_rescore_batch()
            env.flush_all()
            env.invalidate_all()
            cr.commit()
        year_end = datetime.date(today.year - 1, 12, 31)
        plans = env["lead.funnel.plan"].create(
            [
                {
                    "name": f"Bench plan {team_id}",
                    "team_id": team_id,
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
                                "medium_id": medium_id,
                                "planned_leads": size // 60,
                                "expected_conversion": 9.0,
                            },
                        )
                        for medium_id in catalog.medium.values()
                    ],
                }
                for team_id in catalog.teams
            ]
        )
        plans.action_confirm(reason="benchmark")
        env.flush_all()


# --------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------
def user_env(cr, catalog_company_ids):
    """The administrator as a user at the screen: not the superuser, default context."""
    from odoo import SUPERUSER_ID, api

    admin = api.Environment(cr, SUPERUSER_ID, {}).ref("base.user_admin")
    env = api.Environment(cr, admin.id, {"allowed_company_ids": catalog_company_ids})
    assert not env.su
    return env


def timed(registry, operation):
    """Run ``operation(env)`` in a rolled-back transaction; (seconds, its result)."""
    with registry.cursor() as cr:
        env = user_env(cr, company_ids(cr))
        prepare = operation(env)
        env.flush_all()
        env.invalidate_all()
        gc.collect()
        start = time.perf_counter()
        result = prepare()
        env.flush_all()
        cr.precommit.run()  # tracking values, followers
        elapsed = time.perf_counter() - start
        cr.rollback()
    return elapsed, result


def company_ids(cr):
    cr.execute("SELECT id FROM res_company ORDER BY id")
    return [row[0] for row in cr.fetchall()]


def alternate(args, sides, rounds):
    """Run ``sides`` ({label: (dbname, registry, operation)}) in turn, ``rounds`` times,
    alternating which goes first; vacuum after each; {label: [seconds]}, {label: result}."""
    times = {label: [] for label in sides}
    results = {}
    labels = list(sides)
    for round_no in range(rounds):
        order = labels if round_no % 2 == 0 else labels[::-1]
        for label in order:
            dbname, registry, operation = sides[label]
            elapsed, results[label] = timed(registry, operation)
            times[label].append(elapsed)
            vacuum(args, dbname)
    return times, results


class Row:
    def __init__(self, name, what, size, ours, base, base_label, note=""):
        self.name, self.what, self.size = name, what, size
        self.ours, self.base, self.base_label, self.note = ours, base, base_label, note
        self.goal = GOALS.get(name)

    @property
    def ratio(self):
        return statistics.median(self.ours) / statistics.median(self.base)

    @property
    def best_ratio(self):
        return min(self.ours) / min(self.base)


def lead_ids(env, count):
    env.cr.execute(
        "SELECT id FROM crm_lead WHERE name LIKE 'Bench lead %%' ORDER BY id LIMIT %s", [count]
    )
    return [row[0] for row in env.cr.fetchall()]


def bench_create(args, dbs):
    size = args.sizes["create"]
    generator = LeadGenerator(SEED + 7)
    logical = generator.leads(size, start=10_000_000)
    today = datetime.date.today()  # noqa: DTZ011
    sides = {}
    for side in SIDES:
        registry = load_registry(dbs["main", side])
        with registry.cursor() as cr:
            catalog = Catalog(setup_env(cr), side)
            vals_list = [orm_vals(lead, catalog, today, incoming=True) for lead in logical]
            cr.rollback()

        def operation(env, vals_list=vals_list):
            # Odoo's own keys for creating in bulk, on both sides: no "created" message, no
            # follower and no "you have been assigned" mail per lead (10,000 e-mails otherwise).
            # They make crm faster, so our overhead weighs more; none of our code reads them.
            leads = env["crm.lead"].with_context(**CREATE_CONTEXT)
            return lambda: len(leads.create([dict(vals) for vals in vals_list]))

        sides[side] = (dbs["main", side], registry, operation)
    times, _results = alternate(args, sides, args.row_rounds["create"])
    return Row(
        "create",
        "create varied incoming leads in one create",
        size,
        times["ours"],
        times["crm"],
        "crm only",
    )


def bench_stage(args, dbs):
    size = args.sizes["stage"]
    sides = {}
    for side in SIDES:
        registry = load_registry(dbs["main", side])

        def operation(env):
            target = env.ref("crm.stage_lead3")
            leads = (
                env["crm.lead"]
                .browse(lead_ids(env, size * 2))
                .filtered(lambda lead, target=target: lead.stage_id != target)[:size]
            )
            assert len(leads) == size, len(leads)
            # Odoo's mail tracking off on both sides: one chatter message per lead, the same
            # on both sides, would only dilute the ratio (3,000 tracked stage changes take two
            # minutes on the development machine); none of our code reads the key
            leads = leads.with_context(tracking_disable=True)
            return lambda: leads.write({"stage_id": target.id}) and len(leads)

        sides[side] = (dbs["main", side], registry, operation)
    times, _results = alternate(args, sides, args.row_rounds["stage"])
    return Row(
        "stage",
        "bulk write of the stage (no medium requires it; no tracking)",
        size,
        times["ours"],
        times["crm"],
        "crm only",
    )


def bench_maintained(args, dbs):
    size = args.sizes["maintained"]
    sides = {}
    counter = Counter()
    for side in SIDES:
        registry = load_registry(dbs["main", side])

        def operation(env, side=side):
            counter[side] += 1
            leads = env["crm.lead"].browse(lead_ids(env, size))
            value = f"+49 221 {counter[side]:03d}0000"

            def run():
                leads.write({"phone": value})
                if "lead.data.maintenance" not in env:
                    return 0
                env.flush_all()
                return (
                    env["lead.data.maintenance"]
                    .sudo()
                    .search_count([("res_model", "=", "crm.lead"), ("res_id", "in", leads.ids)])
                )

            return run

        sides[side] = (dbs["main", side], registry, operation)
    times, results = alternate(args, sides, args.row_rounds["maintained"])
    return Row(
        "maintained",
        "bulk write of a maintained field (phone; tracking on)",
        size,
        times["ours"],
        times["crm"],
        "crm only",
        note=f"maintenance acts credited by ours: {results['ours']}",
    )


def bench_rescore(args, dbs):
    dbname = dbs["main", "ours"]
    registry = load_registry(dbname)
    with registry.cursor() as cr:
        env = setup_env(cr)
        media = env["utm.medium"].search([("quality_rank", ">", 0)], order="quality_rank, id")
        cr.execute("SELECT id FROM crm_lead WHERE medium_id = ANY(%s) ORDER BY id", [media.ids])
        affected = [row[0] for row in cr.fetchall()]
        cr.execute(
            """
            SELECT count(*) FROM (
                SELECT DISTINCT lead.company_id, lead.medium_id, lead.offer_type,
                       lead.data_completeness, lead.data_verified_date,
                       (SELECT count(*) FROM crm_lead_quality_touch_medium_rel rel
                         WHERE rel.lead_id = lead.id)
                  FROM crm_lead lead WHERE lead.id = ANY(%s)) inputs
            """,
            [affected],
        )
        groups = cr.fetchone()[0]
        old_ranks = {medium.id: medium.quality_rank for medium in media}
        cr.rollback()
    # every ranked medium moves one rank down, the last one to the top
    ranks = sorted(set(old_ranks.values()))
    new_ranks = {
        medium_id: ranks[(ranks.index(rank) + 1) % len(ranks)]
        for medium_id, rank in old_ranks.items()
    }

    def orm(env):
        media_env = env["utm.medium"].sudo().browse(list(new_ranks))

        env.cr.execute("SELECT id, quality_rank FROM crm_lead WHERE id = ANY(%s)", [affected])
        before = dict(env.cr.fetchall())

        def run():
            for medium in media_env:
                medium.quality_rank = new_ranks[medium.id]
            env.flush_all()
            env.cr.execute("SELECT id, quality_rank FROM crm_lead WHERE id = ANY(%s)", [affected])
            return sum(1 for id_, rank in env.cr.fetchall() if rank != before[id_])

        return run

    def sql(env):
        def run():
            env.cr.execute(
                "UPDATE crm_lead SET quality_rank = quality_rank + 1 WHERE id = ANY(%s)",
                [affected],
            )
            return env.cr.rowcount

        return run

    times, results = alternate(
        args,
        {"ours": (dbname, registry, orm), "sql": (dbname, registry, sql)},
        args.row_rounds["rescore"],
    )
    if results["sql"] != len(affected) or not results["ours"]:
        raise SystemExit(f"re-score: {results} of {len(affected)} leads")
    return Row(
        "rescore",
        "re-score after re-ranking every medium",
        len(affected),
        times["ours"],
        times["sql"],
        "one SQL UPDATE",
        note=f"distinct scoring inputs among the {len(affected):,} leads: {groups:,}; "
        f"leads whose rank changed: {results['ours']:,}",
    )


def bench_report(args, dbs):
    size = args.sizes["report"]
    today = datetime.date.today()  # noqa: DTZ011
    year_start = datetime.datetime(today.year - 1, 1, 1)  # noqa: DTZ001
    year_end = datetime.datetime(today.year, 1, 1)  # noqa: DTZ001
    groupby = ["team_id", "medium_id"]
    registries = {side: load_registry(dbs["report", side]) for side in SIDES}
    counts = {}

    def run(side):
        with registries[side].cursor() as cr:
            env = user_env(cr, company_ids(cr))
            if side == "ours":
                plans = env["lead.funnel.plan"].search([("name", "=like", "Bench plan %")])
                start = time.perf_counter()
                rows = env["lead.funnel.report"]._read_group(
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
                elapsed = time.perf_counter() - start
                counts[side] = int(sum(row[3] for row in rows))
            else:
                start = time.perf_counter()
                rows = (
                    env["crm.lead"]
                    .with_context(active_test=False)
                    ._read_group(
                        [("create_date", ">=", year_start), ("create_date", "<", year_end)],
                        groupby,
                        ["__count", "expected_revenue:sum"],
                    )
                )
                elapsed = time.perf_counter() - start
                counts[side] = sum(row[2] for row in rows)
            cr.rollback()
        return elapsed

    for side in SIDES:
        run(side)  # warm the caches of both
    times = {side: [] for side in SIDES}
    for round_no in range(args.row_rounds["report"]):
        for side in SIDES if round_no % 2 == 0 else SIDES[::-1]:
            times[side].append(run(side))
    return Row(
        "report",
        "plan vs actual, grouped by team and medium",
        size,
        times["ours"],
        times["crm"],
        "crm read_group",
        note=f"leads counted: ours {counts['ours']:,}, crm read_group {counts['crm']:,}",
    )


def bench_distribution(args, dbs):
    """Hook for the distribution row (lead_distribution against crm's own assignment).

    tools/bench_distribution.py has its own databases and protocol and is not run from here
    yet; a ``Row("distribution", ...)`` returned here is printed with the others (its goal
    goes into ``GOALS``). Returns None: the table prints a placeholder line."""
    return None


# Odoo's own performance tests of crm (query counts), run on databases with demo data
CRM_PERF_TAGS = "/crm:TestLeadAssignPerf,/crm:TestLeadConvertMass"
_QUERY_COUNT = re.compile(
    r"Query count (?:less|more) than expected for user \S+: (\d+) [<>] (\d+) in (\w+)"
)
_TEST_REPORT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")


def crm_query_counts(args):
    """Run crm's query-count tests on a crm-only and on our demo database; print a table."""
    counts, reports = {}, {}
    for side, module in (("crm", "crm"), ("ours", "lead_reporting")):
        name = f"{DB_PREFIX}demo_{side}"
        if args.rebuild or not db_exists(args, name) or not up_to_date(args, name, side):
            drop_db(args, name)
            print(f"  installing {module} with demo data into {name} ...", flush=True)
            odoo_cli(args, name, "-i", module, *harness.demo_args(True))
        forget_db(name)
        print(f"  running crm's performance tests on {name} ...", flush=True)
        log = odoo_cli(args, name, f"--test-tags={CRM_PERF_TAGS}", "--log-level=info", capture=True)
        counts[side] = {
            test: (int(count), int(limit)) for count, limit, test in _QUERY_COUNT.findall(log)
        }
        found = _TEST_REPORT.findall(log)
        reports[side] = found[-1] if found else ("?", "?", "?")
    print()
    print(f"Odoo's crm performance tests ({CRM_PERF_TAGS}), queries, demo data:")
    print("| Odoo's test (crm) | crm only | ours (three addons) | difference | Odoo's limit |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for test in sorted(set(counts["crm"]) | set(counts["ours"])):
        crm, limit = counts["crm"].get(test, (None, None))
        ours, limit_ours = counts["ours"].get(test, (None, limit))
        diff = f"{(ours - crm) / crm:+.1%}" if crm and ours else "-"
        print(f"| `{test}` | {crm or '-'} | {ours or '-'} | {diff} | {limit or limit_ours} |")
    for side in ("crm", "ours"):
        failed, errors, total = reports[side]
        print(f"{SIDE_LABEL[side]}: {failed} failed, {errors} error(s) of {total} tests")
    return all(report[:2] == ("0", "0") for report in reports.values())


BENCHES = {
    "create": bench_create,
    "stage": bench_stage,
    "maintained": bench_maintained,
    "rescore": bench_rescore,
    "report": bench_report,
}


def print_table(args, rows):
    mode = (
        f"{args.size:,} leads per row (--size)"
        if args.size
        else "quick (smaller sizes)"
        if args.quick
        else "full"
    )
    print()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"Benchmarks, {mode}; times: median of the rounds; ratio = ours / baseline (medians),"
        f" best = ratio of the best rounds; load average at the end {load}"
    )
    header = (
        "measured",
        "size",
        "rounds",
        "ours (s)",
        "baseline",
        "base (s)",
        "ratio",
        "best",
        "goal",
        "met",
    )
    table = [header]
    for row in rows:
        met = row.ratio <= row.goal
        table.append(
            (
                row.what,
                f"{row.size:,}",
                f"{len(row.ours)}",
                f"{statistics.median(row.ours):.3f}",
                row.base_label,
                f"{statistics.median(row.base):.3f}",
                f"{row.ratio:.2f}",
                f"{row.best_ratio:.2f}",
                f"<= {row.goal}",
                "yes" if met else "NO",
            )
        )
    if not any(row.name == "distribution" for row in rows):
        # placeholder until bench_distribution() (the hook) returns a row
        table.append(
            ("distribution vs crm.team assignment", *["-"] * 8, "tools/bench_distribution.py")
        )
    widths = [max(len(str(line[col])) for line in table) for col in range(len(header))]
    for index, line in enumerate(table):
        print(" | ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)))
        if index == 0:
            print("-+-".join("-" * width for width in widths))
    for row in rows:
        if row.note:
            print(f"  {row.name}: {row.note}")
        listed = ", ".join(f"{value:.3f}" for value in row.ours)
        base = ", ".join(f"{value:.3f}" for value in row.base)
        print(f"  {row.name} rounds: ours {listed}; {row.base_label} {base}")
    if args.quick or args.size:
        full = ", ".join(f"{row} {SIZES[row][0]:,}" for row in args.rows)
        print(f"  {'--size' if args.size else 'quick mode'}: full sizes are {full}")
    return all(row.ratio <= row.goal for row in rows)


def main(argv=None):
    args = parse_args(argv)
    if ODOO_VERSION not in harness.SERIES:
        harness.fail(f"ODOO_VERSION={ODOO_VERSION} is not one of {', '.join(harness.SERIES)}")
    harness.check_odoo()
    # the interpreter's own Odoo (the one `python -m odoo` runs for the installs) must be the
    # series' tree: e.g. not .venv's 18.0 with ODOO_VERSION=19.0
    spec = importlib.util.find_spec("odoo")
    own = {os.path.realpath(path) for path in spec.submodule_search_locations or ()} if spec else ()
    if own and os.path.realpath(os.path.join(ODOO_PATH, "odoo")) not in own:
        harness.fail(
            f"this interpreter's Odoo is not the {ODOO_VERSION} tree at {ODOO_PATH}: "
            f"run the script with {harness.venv_python()}"
        )
    sys.path.insert(0, ODOO_PATH)
    from odoo.tools import config

    config.parse_config(
        [
            f"--addons-path={harness.odoo_addons_path()},{ROOT}",
            f"--data-dir={DATA_DIR}",
            f"--db_host={args.db_host}",
            f"--db_port={args.db_port}",
            f"--db_user={args.db_user}",
            "--log-level=warn",
        ]
    )
    started = time.perf_counter()
    if args.crm_query_counts:
        return 0 if crm_query_counts(args) else 1
    print("Preparing the benchmark databases ...", flush=True)
    dbs = {}
    need_main = {"create", "stage", "maintained", "rescore"} & set(args.rows)
    main_size = max(args.sizes["stage"] * 2, args.sizes["rescore"] * 100 // 95)
    for side in SIDES:
        if need_main:
            dbs["main", side] = ensure_dataset(args, "main", main_size, side, fill_main)
        if "report" in args.rows:
            dbs["report", side] = ensure_dataset(
                args, "report", args.sizes["report"], side, fill_report
            )
    for dbname in dbs.values():
        vacuum(args, dbname)
    print(f"  ready after {time.perf_counter() - started:.0f} s", flush=True)
    rows = []
    for name in args.rows:
        print(f"Running {name} ...", flush=True)
        row = BENCHES[name](args, dbs)
        rows.append(row)
        print(
            f"  ours {statistics.median(row.ours):.3f} s, {row.base_label} "
            f"{statistics.median(row.base):.3f} s, ratio {row.ratio:.2f} (goal {row.goal})",
            flush=True,
        )
    distribution = bench_distribution(args, dbs)  # hook, see its docstring
    if distribution is not None:
        rows.append(distribution)
    met = print_table(args, rows)
    print(f"(total {time.perf_counter() - started:.0f} s)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
