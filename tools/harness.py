#!/usr/bin/env python3
"""Project harness: find Odoo, build the virtualenv, prepare PostgreSQL, run
the test suites and the demo server.

Usage (normally through the Makefile)::

    python3 tools/harness.py test      # unit + Odoo + demo-install + e2e ... on 18.0 and 19.0
    python3 tools/harness.py test --odoo-version 19.0   # on one series
    python3 tools/harness.py demo      # recreate `lead_demo` and serve it on :8069
    python3 tools/harness.py lint      # ruff
    python3 tools/harness.py setup     # only the virtualenv and the database role

Odoo versions: every command but `test` works on one Odoo series, `$ODOO_VERSION` (default
18.0; `ODOO_VERSION=19.0 python3 tools/harness.py demo`).  `test` runs on the series of
DEFAULT_TEST_SERIES (both), or on those `--odoo-version` (repeatable) or `$ODOO_VERSION`
name, one after the other (each in a child process of its own).  Each series has its own Odoo
tree, virtualenv, logs, data directory and database names (see SERIES).

Only the standard library is used until the virtualenv exists; the script then
re-executes itself with the virtualenv's interpreter.
"""

import argparse
import ast
import concurrent.futures
import contextlib
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The Odoo series we support, each with its own source tree ($<path_env>, default `path`), its
# own virtualenv ($<venv_env>, default <repo>/<venv>) built from `requirements`, and its own
# logs, Odoo data directory and database names (`tag`: "" for 18.0, as before 19.0 came).
SERIES = {
    "18.0": {
        "path_env": "ODOO_PATH",
        "path": "/opt/odoo",
        "venv_env": "LEAD_VENV",
        "venv": ".venv",
        "requirements": ["requirements-odoo.txt", "requirements-test.txt"],
        "tag": "",
    },
    "19.0": {
        "path_env": "ODOO19_PATH",
        "path": "/opt/odoo19",
        "venv_env": "LEAD_VENV19",
        "venv": ".venv19",
        # the 18.0 list and the test tools, plus what 19.0 needs besides
        "requirements": [
            "requirements-odoo.txt",
            "requirements-test.txt",
            "requirements-odoo19.txt",
        ],
        "tag": "19",
    },
}
ODOO_VERSION = os.environ.get("ODOO_VERSION") or "18.0"
_SERIES = SERIES.get(ODOO_VERSION, SERIES["18.0"])  # an unknown version stops in main()
_TAG = _SERIES["tag"]
VENV = os.environ.get(_SERIES["venv_env"], os.path.join(REPO, _SERIES["venv"]))
LOG_DIR = os.environ.get("LEAD_LOG_DIR", os.path.join(REPO, ".logs"))
DATA_DIR = os.path.join(REPO, ".odoo-data")
if _TAG:
    LOG_DIR, DATA_DIR = os.path.join(LOG_DIR, ODOO_VERSION), os.path.join(DATA_DIR, ODOO_VERSION)
ADDONS = ["lead_quality", "lead_distribution", "lead_reporting", "lead_distribution_hr_holidays"]
REQUIREMENTS = _SERIES["requirements"]
DEMO_DB = f"lead_demo{_TAG}"
# Odoo modules installed next to an addon for its tests: the customer's automation rules must
# run on distributed leads and on leads a batch re-score regrades
TEST_COMPANIONS = {"lead_quality": ["base_automation"], "lead_distribution": ["base_automation"]}
DB_PREFIX = f"lead_test{_TAG}_"


def odoo_path(version=ODOO_VERSION):
    series = SERIES[version]
    return os.path.abspath(os.environ.get(series["path_env"], series["path"]))


def demo_args(demo):
    """Odoo's options for an install with or without demo data: 18.0 loads demo data unless
    --without-demo=all; 19.0 loads none unless --with-demo."""
    if ODOO_VERSION == "18.0":
        return [] if demo else ["--without-demo=all"]
    return ["--with-demo"] if demo else []


def odoo_addons_path():
    """Odoo's own addons directories: odoo/addons (both), addons (19.0's git layout)."""
    paths = [os.path.join(odoo_path(), "odoo", "addons"), os.path.join(odoo_path(), "addons")]
    return ",".join(path for path in paths if os.path.isdir(path))


def pg_host():
    return os.environ.get("PGHOST", "127.0.0.1")


def pg_port():
    return os.environ.get("PGPORT", "5432")


def db_user():
    return os.environ.get("ODOO_DB_USER", "odoo")


def fail(message, code=2):
    print(f"ERROR: {message}", flush=True)
    sys.exit(code)


# --------------------------------------------------------------------------
# Odoo source tree
# --------------------------------------------------------------------------
def check_odoo(expected=ODOO_VERSION):
    """Stop at once, with one clear line, unless $ODOO_PATH (18.0) or $ODOO19_PATH (19.0)
    holds Odoo of the `expected` series."""
    path = odoo_path(expected)
    series = SERIES[expected]
    release = os.path.join(path, "odoo", "release.py")
    hint = (
        f"set {series['path_env']} to the directory of an Odoo {expected} source tree "
        f"(default {series['path']})"
    )
    if not (os.path.isfile(release) and os.path.isfile(os.path.join(path, "setup.py"))):
        fail(f"no Odoo source tree at {path} (looked for odoo/release.py and setup.py); {hint}")
    with open(release, encoding="utf-8") as handle:
        match = re.search(r"^version_info = \((\d+), (\d+)", handle.read(), re.M)
    version = f"{match.group(1)}.{match.group(2)}" if match else "unknown"
    if version != expected:
        fail(f"Odoo at {path} is version {version}, not {expected}; {hint}")
    return path


# --------------------------------------------------------------------------
# Virtual environment
# --------------------------------------------------------------------------
def venv_python():
    return os.path.join(VENV, "bin", "python")


def _venv_fingerprint():
    digest = hashlib.sha256()
    digest.update(odoo_path().encode())
    digest.update(sys.version.encode())
    for name in REQUIREMENTS:
        with open(os.path.join(REPO, name), "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()


def ensure_venv():
    stamp = os.path.join(VENV, ".lead-stamp")
    fingerprint = _venv_fingerprint()
    if os.path.exists(stamp) and os.path.exists(venv_python()):
        with open(stamp, encoding="utf-8") as handle:
            if handle.read().strip() == fingerprint:
                return
    print(f"Setting up the virtualenv in {VENV} ...", flush=True)
    if not os.path.exists(venv_python()):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    pip = [venv_python(), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    # requirements-test.txt includes requirements-odoo.txt; a series may add files of its own
    files = [name for name in REQUIREMENTS if name != "requirements-odoo.txt"]
    _quiet_run([*pip, *(arg for name in files for arg in ("-r", os.path.join(REPO, name)))])
    # Odoo itself, editable and without its pinned requirements (they do not
    # build on Python 3.11 here; requirements-odoo.txt replaces them).
    _quiet_run([*pip, "--no-deps", "-e", odoo_path()])
    with open(stamp, "w", encoding="utf-8") as handle:
        handle.write(fingerprint)


def _quiet_run(cmd):
    """Run an install step; show its output only when it fails."""
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode:
        print(proc.stdout[-5000:], proc.stderr[-5000:], sep="\n")
        fail(f"{' '.join(cmd[:4])} ... failed with exit code {proc.returncode}", code=1)


def reexec_in_venv():
    """Run the rest of the command with the virtualenv's interpreter."""
    if os.path.realpath(sys.prefix) != os.path.realpath(VENV):
        os.execv(venv_python(), [venv_python(), os.path.abspath(__file__)] + sys.argv[1:])


# Debian packages the tests need: (command, package, what needs it)
TEST_PACKAGES = [
    ("chromium", "chromium", "browser tests (HttpCase tours)"),
    ("wkhtmltopdf", "wkhtmltopdf", "PDF reports"),
]


def ensure_test_packages():
    """Install what the browser tours and PDF reports need, when missing."""
    missing = [(cmd, pkg, why) for cmd, pkg, why in TEST_PACKAGES if not shutil.which(cmd)]
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"Installing {', '.join(pkg for _c, pkg, _w in missing)} ...", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", *(pkg for _c, pkg, _w in missing)],
            check=False,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    for cmd, _pkg, why in missing:
        if not shutil.which(cmd):
            print(f"WARNING: {cmd} not found; {why} will be skipped", flush=True)


# --------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------
def _pg_answers():
    try:
        with socket.create_connection((pg_host(), int(pg_port())), timeout=2):
            return True
    except OSError:
        return False


def ensure_postgres():
    if not _pg_answers():
        clusters = "/etc/postgresql"
        if shutil.which("pg_ctlcluster") and os.path.isdir(clusters):
            for version in sorted(os.listdir(clusters)):
                print(f"Starting PostgreSQL {version} ...", flush=True)
                subprocess.run(
                    ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
                    check=False,
                )
        for _ in range(30):
            if _pg_answers():
                break
            time.sleep(1)
        else:
            fail(f"PostgreSQL does not answer on {pg_host()}:{pg_port()} and could not be started")
    import psycopg2  # only inside the virtualenv

    with contextlib.closing(_admin_connection(psycopg2)) as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (db_user(),))
        if not cr.fetchone():
            print(f"Creating PostgreSQL role {db_user()} ...", flush=True)
            cr.execute(f'CREATE ROLE "{db_user()}" LOGIN CREATEDB')


def _admin_connection(psycopg2):
    last_error = None
    for user in (os.environ.get("PGADMIN_USER"), "postgres", db_user()):
        if not user:
            continue
        try:
            conn = psycopg2.connect(host=pg_host(), port=pg_port(), user=user, dbname="postgres")
            conn.autocommit = True
            return conn
        except psycopg2.OperationalError as error:
            last_error = error
    fail(f"cannot connect to PostgreSQL as an administrator: {last_error}")


def drop_database(name):
    import psycopg2

    with contextlib.closing(_admin_connection(psycopg2)) as conn, conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    # its attachments too (Odoo's own database drop does the same)
    shutil.rmtree(os.path.join(DATA_DIR, "filestore", name), ignore_errors=True)


def new_db_name(tag):
    return f"{DB_PREFIX}{tag}_{uuid.uuid4().hex[:8]}"


def copy_database(source, target):
    """`createdb -T source target`, attachments (filestore) included."""
    import psycopg2

    with contextlib.closing(_admin_connection(psycopg2)) as conn, conn.cursor() as cr:
        cr.execute(f'CREATE DATABASE "{target}" WITH TEMPLATE "{source}" OWNER "{db_user()}"')
    filestore = os.path.join(DATA_DIR, "filestore", source)
    if os.path.isdir(filestore):
        shutil.copytree(filestore, os.path.join(DATA_DIR, "filestore", target))


def query(database, sql, params=()):
    """Rows of one read-only query on `database` (as the Odoo role)."""
    import psycopg2

    conn = psycopg2.connect(host=pg_host(), port=pg_port(), user=db_user(), dbname=database)
    with contextlib.closing(conn), conn.cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


# --------------------------------------------------------------------------
# Running Odoo
# --------------------------------------------------------------------------
def odoo_command(database, *args, addons_dir=REPO):
    return [
        venv_python(),
        "-m",
        "odoo",
        f"--addons-path={odoo_addons_path()},{addons_dir}",
        f"--data-dir={DATA_DIR}",
        f"--db_host={pg_host()}",
        f"--db_port={pg_port()}",
        f"--db_user={db_user()}",
        "-d",
        database,
        f"--db-filter=^{database}$",
        *args,
    ]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_odoo(database, args, log_name, addons_dir=REPO):
    """Run Odoo to completion, its log in .logs/<log_name>.log; return (rc, log text).
    `addons_dir`: where our addons are (another revision of them, e.g. for the upgrade test)."""
    os.makedirs(LOG_DIR, exist_ok=True)
    log_path = os.path.join(LOG_DIR, f"{log_name}.log")
    # each run gets its own HTTP port: HttpCase tests start a server
    cmd = odoo_command(
        database, f"--http-port={free_port()}", "--gevent-port=0", *args, addons_dir=addons_dir
    )
    with open(log_path, "w", encoding="utf-8") as log, _tracked(cmd, stdout=log) as proc:
        rc = _wait_for_odoo(proc, log_path)
    with open(log_path, encoding="utf-8") as log:
        return rc, log.read()


# the processes a `test` run started and still waits for; set when the run is being stopped
_RUNNING = set()
_STOPPING = threading.Event()


@contextlib.contextmanager
def _tracked(cmd, **kwargs):
    """Popen(cmd) known to stop_running(); refused once the run is being stopped."""
    if _STOPPING.is_set():
        raise RuntimeError("the test run is being stopped")
    proc = subprocess.Popen(cmd, stderr=subprocess.STDOUT, cwd=REPO, **kwargs)
    _RUNNING.add(proc)
    try:
        yield proc
    finally:
        _RUNNING.discard(proc)


def stop_running():
    """Stop every process of this run (and what they started), start no new one."""
    _STOPPING.set()
    for proc in list(_RUNNING):
        _stop_process_tree(proc)


# how long Odoo may take to exit once it logged "Initiating shutdown"
SHUTDOWN_GRACE = 60


def _wait_for_odoo(proc, log_path):
    """Wait for an Odoo run; its exit code.  A browser tour that timed out can leave its
    Chromium running, and Odoo then waits for it forever at shutdown: after SHUTDOWN_GRACE
    seconds the run and what it started are stopped (noted at the end of its log)."""
    shutdown_at, seen = None, ""
    with open(log_path, encoding="utf-8", errors="replace") as reader:
        while proc.poll() is None:
            time.sleep(1)
            if shutdown_at is None:
                seen = seen[-200:] + reader.read()
                if "odoo.service.server: Initiating shutdown" in seen:
                    shutdown_at = time.time()
            elif time.time() - shutdown_at > SHUTDOWN_GRACE:
                _stop_process_tree(proc)
                with open(log_path, "a", encoding="utf-8") as log:
                    log.write(
                        f"\nharness: Odoo had not exited {SHUTDOWN_GRACE} s after 'Initiating "
                        "shutdown' (a browser of a failed tour still running?): stopped with the "
                        "processes it started\n"
                    )
    return proc.returncode


def _stop_process_tree(proc):
    """Terminate `proc` and the processes it started (e.g. Chromium of a browser test)."""
    import psutil

    try:
        parent = psutil.Process(proc.pid)
        procs = [*parent.children(recursive=True), parent]
    except psutil.NoSuchProcess:
        return
    for process in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.terminate()
    _gone, alive = psutil.wait_procs(procs, timeout=15)
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    proc.wait()


_LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) ")
_REPORT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")


# warnings that mean the install is broken all the same; the ORM's "no longer supported"
# (e.g. Odoo 19 ignores `_sql_constraints` with such a warning: Odoo's own addons have none left)
_FATAL_WARNINGS = ("demo data failed to install", "is no longer supported")
# deprecation warnings (Python's, logged by Odoo as `py.warnings`) count when they point at our
# code: the file or the traceback names one of our addon directories
_DEPRECATION = re.compile(r"\b(Deprecation|PendingDeprecation)Warning\b")
_OUR_PATHS = re.compile("|".join(re.escape(f"{os.sep}{addon}{os.sep}") for addon in ADDONS))


def _is_problem(level, record):
    if level in ("ERROR", "CRITICAL"):
        return True
    if level != "WARNING":
        return False
    if any(warning in record[0] for warning in _FATAL_WARNINGS):
        return True
    text = "\n".join(record)
    return bool(_DEPRECATION.search(record[0]) and _OUR_PATHS.search(text))


def problems_in(log_text):
    """ERROR and CRITICAL log records, fatal warnings and deprecation warnings of our code,
    with their continuation lines."""
    found, current, level = [], None, None
    for line in log_text.splitlines():
        match = _LOG_LINE.match(line)
        if match:
            if current is not None and _is_problem(level, current):
                found.append(current)
            current, level = [line], match.group(1)
        elif current is not None:
            current.append(line)
    if current is not None and _is_problem(level, current):
        found.append(current)
    return ["\n".join(record) for record in found]


class Outcome:
    """Counts of one step; `details` are printed when it failed, `notes` always."""

    def __init__(self, name, passed=0, failed=0, skipped=0, details="", notes=""):
        self.name, self.passed, self.failed = name, passed, failed
        self.skipped, self.details, self.notes = skipped, details, notes


def odoo_test_outcome(name, rc, log_text):
    reports = list(_REPORT.finditer(log_text))
    match = reports[-1] if reports else None
    problems = problems_in(log_text)
    total = int(match.group(3)) if match else 0
    bad = int(match.group(1)) + int(match.group(2)) if match else 0
    skipped = len(re.findall(r"(?m)^\S+ \S+ \d+ INFO \S+ \S+: skipped ", log_text))
    if rc != 0 or problems or not match:
        bad = max(bad, 1)
    details = "\n".join(problems[:20])
    if not match:
        details += f"\n(no test report found in the log, exit code {rc})"
    return Outcome(name, passed=max(total - bad, 0), failed=bad, skipped=skipped, details=details)


def test_addon(addon, i18n=False):
    """The addon's Odoo tests on a fresh install without demo data; with `i18n`, also the
    translation check (test_i18n) on that install (the same as `harness.py i18n` makes)."""
    database = new_db_name(addon)
    try:
        rc, log_text = run_odoo(
            database,
            [
                "-i",
                ",".join([addon, *TEST_COMPANIONS.get(addon, ())]),
                f"--test-tags=/{addon}",
                *demo_args(False),
                "--stop-after-init",
                "--log-level=info",
            ],
            f"test_{addon}",
        )
        outcome = odoo_test_outcome(f"odoo:{addon}", rc, log_text)
        return [outcome, test_i18n(addon, database)] if i18n else outcome
    finally:
        drop_database(database)


def test_demo_install():
    """Install all addons *with* demo data: broken demo data fails the run.

    The database stays as the template `ours` of this run (our tests together, with demo data).
    """
    outcome = TEMPLATES["ours"].install()
    return Outcome("demo-install", outcome.passed, outcome.failed, details=outcome.details)


# --------------------------------------------------------------------------
# Template databases: installed once per run, copied (createdb -T) per suite
# --------------------------------------------------------------------------
# Odoo's own addons ours must work next to.  Peers: their own Odoo tests run on a
# database with our addons installed.  Neighbours: installed together with ours.
PEER_ADDONS = ["crm", "sales_team", "website_crm_partner_assign"]
NEIGHBOUR_ADDONS = [
    "website_crm_partner_assign",
    "website_crm",
    "sale_crm",
    "event_crm",
    "mass_mailing_crm",
    "crm_iap_enrich",
    "crm_livechat",
    "crm_sms",
]


def external_dependencies():
    """What our addons depend on outside this repository (from their manifests)."""
    depends = []
    for addon in ADDONS:
        with open(os.path.join(REPO, addon, "__manifest__.py"), encoding="utf-8") as handle:
            manifest = ast.literal_eval(handle.read())
        depends += [d for d in manifest.get("depends", []) if d not in ADDONS + depends]
    return depends


class TemplateError(Exception):
    pass


class Template:
    """A database installed on first use in a run, then copied for each suite that needs it
    instead of installing the same modules again.  `base`: the template it starts from."""

    def __init__(self, key, modules, base=None, demo=True, log_name=None):
        self.key, self.modules, self.base, self.demo = key, modules, base, demo
        self.log_name = log_name or f"template_{key}"
        self.lock = threading.RLock()
        self.database = None
        self.outcome = None  # of the install
        self._schema = None

    def install(self):
        """Install once (other threads wait for it); the Outcome of the install."""
        with self.lock:
            if self.outcome is None:
                self.outcome = self._install()
        return self.outcome

    def _install(self):
        name = f"install:{self.key}"
        self.database = new_db_name(f"tpl_{self.key}")
        if self.base:
            try:
                TEMPLATES[self.base].copy_to(self.database)
            except TemplateError as error:
                return Outcome(name, failed=1, details=str(error))
        args = ["-i", ",".join(self.modules), "--stop-after-init", "--log-level=info"]
        args += demo_args(self.demo)
        rc, log_text = run_odoo(self.database, args, self.log_name)
        problems = problems_in(log_text)
        failed = 1 if rc or problems else 0
        details = "\n".join(problems[:20]) or (f"exit code {rc}" if rc else "")
        return Outcome(name, passed=1 - failed, failed=failed, details=details)

    def copy_to(self, target):
        outcome = self.install()
        if outcome.failed:
            raise TemplateError(
                f"installing {','.join(self.modules)} failed (log in {LOG_DIR}/"
                f"{self.log_name}.log):\n{outcome.details}"
            )
        with self.lock:
            copy_database(self.database, target)

    @contextlib.contextmanager
    def copy(self, tag):
        """A copy of the template for one suite, dropped afterwards."""
        database = new_db_name(tag)
        try:
            self.copy_to(database)
            yield database
        finally:
            drop_database(database)

    def schema(self):
        """schema_of() the template (read once, never while it is being copied)."""
        self.install()
        with self.lock:
            if self._schema is None and not self.outcome.failed:
                self._schema = schema_of(self.database)
        return self._schema

    def drop(self):
        with self.lock:
            if self.database:
                drop_database(self.database)
            self.database, self.outcome, self._schema = None, None, None


def crm_only_modules():
    return list(dict.fromkeys(["crm", *external_dependencies()]))


TEMPLATES = {
    # our three addons with demo data (the demo-install check, then our tests together)
    # (with the Odoo modules our tests need besides, e.g. base_automation)
    "ours": Template(
        "ours",
        [*ADDONS, *sorted({m for modules in TEST_COMPANIONS.values() for m in modules})],
        log_name="demo_install",
    ),
    # crm and what our addons depend on, with demo data, without ours: the crm-only reference
    "crm": Template("crm", crm_only_modules()),
    # the same plus our addons: crm's and sales_team's own tests run on copies of it
    "peer": Template("peer", ADDONS, base="crm"),
    # website_crm_partner_assign next to ours (it brings website and account), and without
    "peer_wcpa": Template("peer_wcpa", ["website_crm_partner_assign"], base="peer"),
    "crm_wcpa": Template("crm_wcpa", ["website_crm_partner_assign"], base="crm"),
}
# the database each peer's tests run on: (next to our addons, crm-only reference)
PEER_TEMPLATES = {
    "crm": ("peer", "crm"),
    "sales_team": ("peer", "crm"),
    "website_crm_partner_assign": ("peer_wcpa", "crm_wcpa"),
}


def drop_templates():
    for template in TEMPLATES.values():
        template.drop()


# --------------------------------------------------------------------------
# Odoo's own tests next to ours, neighbours, translations, uninstall
# --------------------------------------------------------------------------
# Odoo tests that fail on the crm-only reference database too (the same modules and demo
# data without our addons: `python3 tools/harness.py test --only peer-baseline`, logs in
# .logs/peer-baseline_<module>.log).  Reported as skipped, not as failures of ours; the
# README lists them.  {module: {test: (text of its last exception line, reason)}}
_ALIAS_NOT_NULL = 'column "alias_id" of relation "crm_team" violates not-null constraint'
_ALIAS_REASON = (
    "sales_team's at_install tests insert crm_team rows while only sales_team is loaded; "
    "crm, installed after it, made crm_team.alias_id NOT NULL (Odoo's own, crm-only run alike)"
)
_NO_DUP_19 = "Query count more than expected for user user_sales_manager: 554 > 552 in "
_NO_DUP_19_REASON = (
    "in one run of all of crm's tests an earlier test empties Odoo's registry caches and this "
    "one reads a group, its implied groups and some XML ids again: 554 queries against its "
    "budget of 552 on the crm-only reference alike (alone in a process: 548 with and without "
    "our addons)"
)
PEER_KNOWN_FAILURES = {
    "sales_team": {
        test: (_ALIAS_NOT_NULL, _ALIAS_REASON)
        for test in (
            "setUpClass (odoo.addons.sales_team.tests.test_sales_team.TestDefaultTeam)",
            "setUpClass (odoo.addons.sales_team.tests.test_sales_team.TestMultiCompany)",
            "TestCornerCases.test_unicity",
            "TestCornerCases.test_unicity_multicreate",
            "setUpClass (odoo.addons.sales_team.tests.test_sales_team_internals.TestSecurity)",
            "setUpClass (odoo.addons.sales_team.tests.test_sales_team_membership.TestMembership)",
        )
    },
}
# the same, on one Odoo series only ({series: {module: {test: (text, reason)}}})
PEER_KNOWN_FAILURES_BY_SERIES = {
    "19.0": {
        "crm": {
            "TestLeadAssignPerf.test_assign_perf_no_duplicates": (_NO_DUP_19, _NO_DUP_19_REASON),
        },
    },
}


def peer_known_failures(module):
    """The known failures of `module`'s Odoo tests on this run's Odoo series."""
    return {
        **PEER_KNOWN_FAILURES.get(module, {}),
        **PEER_KNOWN_FAILURES_BY_SERIES.get(ODOO_VERSION, {}).get(module, {}),
    }


# Odoo test classes not run at all ({module: {class: reason}}): they fail on a fresh standard
# install here too and each costs minutes of browser timeout
PEER_EXCLUDED = {
    "website_crm_partner_assign": {
        "TestPublish": "its five website-preview tours stop at step 3 ('Go to partner', "
        'trigger :iframe a:contains("Agrolait")) until the script timeout, on a fresh '
        "`-i website_crm_partner_assign --test-tags /website_crm_partner_assign:TestPublish` "
        "install as well (Chromium 156 here)",
    },
}

_TEST_FAILURE = re.compile(r"^\S+ \S+ \d+ ERROR \S+ (\S+): (ERROR|FAIL): (.*)$")
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Violation|Failure|Exit)\b")
_SKIP_LINE = re.compile(r"(?m)^\S+ \S+ \d+ INFO \S+ \S+: skipped ")


def test_failures(log_text):
    """(ERROR|FAIL, test, last exception line) of each failing test in an Odoo test log."""
    found = []
    for record in problems_in(log_text):
        first, *rest = record.splitlines()
        match = _TEST_FAILURE.match(first)
        if not match:
            continue
        lines = [line.strip() for line in rest if line.strip()]
        errors = [line for line in lines if _EXCEPTION_LINE.match(line)]
        excerpt = (errors or lines or [""])[-1]
        found.append((match.group(2), match.group(3).strip(), excerpt[:300]))
    return found


def _is_known(failure, known):
    """Whether a failure is one of `known` ({test: (text of its exception line, reason)}): the
    same test failing the same way (a known test failing otherwise counts)."""
    _flavour, test, excerpt = failure
    return any(
        (test == name or test.startswith(f"Subtest {name} ")) and marker in excerpt
        for name, (marker, _reason) in known.items()
    )


def peer_outcome(name, rc, log_text, known):
    """Counts of one Odoo test run as Odoo reports them ("N failed, N error(s) of N tests"),
    failures listed one per line; those in `known` are counted as skipped."""
    reports = list(_REPORT.finditer(log_text))
    match = reports[-1] if reports else None
    failures = test_failures(log_text)
    new = [f for f in failures if not _is_known(f, known)]
    old = [f for f in failures if _is_known(f, known)]
    lines = [f"{flavour} {test}: {excerpt}" for flavour, test, excerpt in new]
    lines += [f"known (fails without our addons too): {test}" for _f, test, _e in old]
    failed = len(new)
    ran = [f for f in failures if not f[1].startswith(("setUpClass", "tearDownClass"))]
    total = int(match.group(3)) if match else 0
    if not match:
        failed = max(failed, 1)
        lines += problems_in(log_text)[:5]
        lines.append(f"(no test report found in the log, exit code {rc})")
    elif int(match.group(1)) + int(match.group(2)) and not failures:
        failed = int(match.group(1)) + int(match.group(2))
        lines.append("(failures reported but not found in the log)")
    skipped = len(_SKIP_LINE.findall(log_text)) + len(old)
    passed = max(total - len({test for _f, test, _e in ran}), 0)
    return Outcome(name, passed=passed, failed=failed, skipped=skipped, details="\n".join(lines))


def test_peer(module, baseline=False):
    """Odoo's own tests of `module`, run the way Odoo runs them (--test-tags, at_install tests
    while the registry loads, then post_install ones) on a copy of an installed database: with
    our addons, or (`baseline`) on the crm-only reference without them."""
    prefix = "peer-baseline" if baseline else "peer"
    name = f"{prefix}:{module}"
    known = {} if baseline else peer_known_failures(module)
    tags = ",".join(
        [f"/{module}", *(f"-/{module}:{test}" for test in PEER_EXCLUDED.get(module, {}))]
    )
    template = TEMPLATES[PEER_TEMPLATES[module][1 if baseline else 0]]
    try:
        with template.copy(f"{prefix.replace('-', '_')}_{module}") as database:
            rc, log_text = run_odoo(
                database,
                [f"--test-tags={tags}", "--stop-after-init", "--log-level=info"],
                f"{prefix}_{module}",
            )
    except TemplateError as error:
        return Outcome(name, failed=1, details=str(error))
    return peer_outcome(name, rc, log_text, known)


def test_together():
    """Our Odoo tests once more, the three addons installed together, with demo data."""
    tags = ",".join(f"/{addon}" for addon in ADDONS)
    try:
        with TEMPLATES["ours"].copy("together") as database:
            rc, log_text = run_odoo(
                database,
                [f"--test-tags={tags}", "--stop-after-init", "--log-level=info"],
                "test_together",
            )
    except TemplateError as error:
        return Outcome("odoo:together", failed=1, details=str(error))
    return odoo_test_outcome("odoo:together", rc, log_text)


_OURS = re.compile("|".join(ADDONS))


def log_records(log_text, levels):
    """(level, text) of the log records of `levels`, with their continuation lines."""
    found, current = [], None
    for line in log_text.splitlines():
        match = _LOG_LINE.match(line)
        if match:
            current = [line] if match.group(1) in levels else None
            if current is not None:
                found.append((match.group(1), current))
        elif current is not None:
            current.append(line)
    return [(level, "\n".join(lines)) for level, lines in found]


def test_neighbours():
    """Our addons and Odoo's CRM neighbours installed together with demo data: no ERROR, no
    WARNING about our addons; then crm's own browser tours (TestUi) on that database."""
    crm = TEMPLATES["crm"]
    modules = [*ADDONS, *(n for n in NEIGHBOUR_ADDONS if n not in crm.modules)]
    try:
        with crm.copy("neighbours") as database:
            rc, log_text = run_odoo(
                database,
                ["-i", ",".join(modules), *demo_args(True), "--stop-after-init"],
                "neighbours_install",
            )
            records = log_records(log_text, ("WARNING", "ERROR", "CRITICAL"))
            bad = [text for level, text in records if level != "WARNING" or _OURS.search(text)]
            failed = 1 if rc or bad else 0
            details = "\n".join(bad[:20]) or (f"exit code {rc}" if rc else "")
            install = Outcome("neighbours:install", 1 - failed, failed, details=details)
            rc, log_text = run_odoo(
                database,
                ["--test-tags=/crm:TestUi", "--stop-after-init", "--log-level=info"],
                "neighbours_crm_tours",
            )
            tours = peer_outcome("neighbours:crm-tours", rc, log_text, {})
            if tours.failed:
                tours = _retry_flaky_tours(database, tours, log_text)
    except TemplateError as error:
        return [Outcome("neighbours:install", failed=1, details=str(error))]
    return [install, tours]


def _retry_flaky_tours(database, outcome, log_text):
    """crm's tours, when only browser tours failed, run once more (each tour rolls back what
    it did): a tour that passes then is reported as passed, and named in the step's notes as
    having failed once. On Odoo 19.0 crm's forecast tour clicks New before the kanban view has
    loaded its data now and then (its "page loaded" step matches the view's empty first
    render, and a kanban view that is not loaded yet opens the form instead of the quick
    create: `canQuickCreate` in web's kanban_controller.js); a slower load, as on a database
    with the neighbour addons while another step runs, makes that more likely."""
    failures = test_failures(log_text)
    tours = [test for _flavour, test, excerpt in failures if "startTour(" in excerpt]
    if not tours or len(tours) != len(failures) or len(failures) != outcome.failed:
        return outcome
    tags = ",".join(f"/crm:{test}" for test in tours)
    rc, retry_log = run_odoo(
        database,
        [f"--test-tags={tags}", "--stop-after-init", "--log-level=info"],
        "neighbours_crm_tours_retry",
    )
    retry = peer_outcome("neighbours:crm-tours", rc, retry_log, {})
    if retry.failed:
        return outcome
    note = "\n".join(
        f"failed once, passed when run again (logs neighbours_crm_tours[_retry].log): {test}"
        for test in tours
    )
    return Outcome(
        outcome.name, passed=outcome.passed + len(tours), skipped=outcome.skipped, notes=note
    )


# translation template and translations: a fresh export equals the committed .pot
def export_pot(database, addon, pot):
    """Export `addon`'s translation template from `database` to `pot`; an error text or None."""
    if ODOO_VERSION == "18.0":
        rc, _log_text = run_odoo(
            database,
            [f"--i18n-export={pot}", f"--modules={addon}", "--stop-after-init"],
            f"i18n_export_{addon}",
        )
    else:
        rc = _export_pot_command(database, addon, pot)
    return f"exporting the translation template of {addon} failed (exit code {rc})" if rc else None


def _export_pot_command(database, addon, pot):
    """19.0 has no --i18n-export: its `i18n export` command, which takes the server options
    from a configuration file only. Returns the exit code."""
    os.makedirs(LOG_DIR, exist_ok=True)
    config = os.path.join(LOG_DIR, f"i18n_export_{addon}.conf")
    with open(config, "w", encoding="utf-8") as conf:
        conf.write(
            "[options]\n"
            f"addons_path = {odoo_addons_path()},{REPO}\n"
            f"data_dir = {DATA_DIR}\n"
            f"db_host = {pg_host()}\n"
            f"db_port = {pg_port()}\n"
            f"db_user = {db_user()}\n"
        )
    cmd = [venv_python(), "-m", "odoo", "i18n", "export", "-c", config, "-d", database]
    cmd += ["-o", pot, addon]
    log_path = os.path.join(LOG_DIR, f"i18n_export_{addon}.log")
    with open(log_path, "w", encoding="utf-8") as log, _tracked(cmd, stdout=log) as proc:
        return _wait_for_odoo(proc, log_path)


def export_fresh_pot(addon, pot):
    """Install `addon` without demo data into a fresh database and export its translation
    template to `pot`; an error text or None."""
    database = new_db_name(f"i18n_{addon}")
    try:
        rc, log_text = run_odoo(
            database,
            ["-i", addon, *demo_args(False), "--stop-after-init", "--log-level=warn"],
            f"i18n_install_{addon}",
        )
        if rc or problems_in(log_text):
            return f"installing {addon} failed: " + "\n".join(problems_in(log_text))
        return export_pot(database, addon, pot)
    finally:
        drop_database(database)


def _msgids(path, translated=False):
    import polib

    return {
        (entry.msgctxt, entry.msgid)
        for entry in polib.pofile(path)
        if not entry.obsolete and (entry.translated() or not translated)
    }


def _msgid_lines(msgids, limit=30):
    lines = [f"      {msgid[:120]!r}" for _ctxt, msgid in sorted(msgids, key=str)[:limit]]
    if len(msgids) > limit:
        lines.append(f"      ... and {len(msgids) - limit} more")
    return lines


# msgids that one Odoo series exports and the other does not ({series: {addon: msgids}}): one
# .pot and one .po serve both, so on the other series they are not "no longer used"
I18N_SERIES_ONLY = {
    # a group privilege (19.0's res.groups.privilege), a string 19.0's extractor takes from
    # the code, the field labels of a model extended by the bridge
    "19.0": {
        "lead_reporting": {"Marketing", "res_model"},
        "lead_distribution_hr_holidays": {"Display Name", "ID"},
    },
    # the model name of crm.lead, which 19.0 exports only from crm
    "18.0": {"lead_distribution": {"Lead/Opportunity"}},
}


def _other_series_msgids(addon):
    return {
        msgid
        for series, addons in I18N_SERIES_ONLY.items()
        if series != ODOO_VERSION
        for msgid in addons.get(addon, ())
    }


def i18n_outcome(addon, fresh, error=None):
    """Compare the fresh export `fresh` with the committed .pot (msgids only: header, dates,
    comments and order aside) and check that every .po translates all of them."""
    name = f"i18n:{addon}"
    i18n_dir = os.path.join(REPO, addon, "i18n")
    committed = os.path.join(i18n_dir, f"{addon}.pot")
    if error or not os.path.isfile(committed):
        return Outcome(name, failed=1, details=error or f"{committed} is missing")
    exported = _msgids(fresh)
    problems = []
    missing, extra = exported - _msgids(committed), _msgids(committed) - exported
    other_series = _other_series_msgids(addon)
    extra = {(ctxt, msgid) for ctxt, msgid in extra if msgid not in other_series}
    if missing or extra:
        problems.append(
            f"{addon}/i18n/{addon}.pot differs from a fresh export ({fresh}); "
            f"regenerate it with `python3 tools/harness.py i18n {addon}`"
        )
    if missing:
        problems += [f"    missing msgids ({len(missing)}):", *_msgid_lines(missing)]
    if extra:
        problems += [f"    msgids no longer used ({len(extra)}):", *_msgid_lines(extra)]
    checks, failed = 1, 1 if problems else 0
    for po in sorted(n for n in os.listdir(i18n_dir) if n.endswith(".po")):
        checks += 1
        untranslated = exported - _msgids(os.path.join(i18n_dir, po), translated=True)
        if untranslated:
            failed += 1
            problems += [
                f"{addon}/i18n/{po}: {len(untranslated)} msgid(s) without translation "
                "(empty msgstr, fuzzy or absent):",
                *_msgid_lines(untranslated),
            ]
    return Outcome(name, passed=checks - failed, failed=failed, details="\n".join(problems))


def test_i18n(addon, database=None):
    """i18n_outcome() of a fresh export: from `database` (an install of `addon` without demo
    data, e.g. the one its tests ran on) or from a fresh install."""
    os.makedirs(LOG_DIR, exist_ok=True)
    fresh = os.path.join(LOG_DIR, f"i18n_{addon}.pot")
    with contextlib.suppress(FileNotFoundError):
        os.remove(fresh)
    error = export_pot(database, addon, fresh) if database else export_fresh_pot(addon, fresh)
    return i18n_outcome(addon, fresh, error)


# uninstall: nothing of ours is left in the database schema
UNINSTALL_SCRIPT = """
modules = env["ir.module.module"].search([("name", "in", {addons!r})])
modules.button_immediate_uninstall()
env.cr.commit()
"""


def schema_of(database):
    """{(kind, table, name)} of the public schema: tables and views, columns, indexes, extended
    statistics, constraints, sequences, functions; and the installed modules."""
    return set(
        query(
            database,
            """
            SELECT 'table', table_name, table_type FROM information_schema.tables
             WHERE table_schema = 'public'
            UNION ALL SELECT 'column', table_name, column_name FROM information_schema.columns
             WHERE table_schema = 'public'
            UNION ALL SELECT 'index', tablename, indexname FROM pg_indexes
             WHERE schemaname = 'public'
            UNION ALL SELECT 'statistics', stxrelid::regclass::text, stxname
              FROM pg_statistic_ext WHERE stxnamespace = 'public'::regnamespace
            UNION ALL SELECT 'constraint', conrelid::regclass::text, conname FROM pg_constraint
             WHERE connamespace = 'public'::regnamespace AND conrelid != 0
            UNION ALL SELECT 'sequence', '', sequence_name FROM information_schema.sequences
             WHERE sequence_schema = 'public'
            UNION ALL SELECT 'function', '', proname FROM pg_proc
             WHERE pronamespace = 'public'::regnamespace
            UNION ALL SELECT 'module', '', name FROM ir_module_module WHERE state = 'installed'
            """,
        )
    )


def who_creates(name):
    """`addon/path:line` of our source files (tests aside) that mention `name`."""
    found = []
    for addon in ADDONS:
        for root, dirs, files in os.walk(os.path.join(REPO, addon)):
            dirs[:] = [d for d in dirs if d not in ("tests", "i18n", "static", "__pycache__")]
            for filename in files:
                if not filename.endswith((".py", ".xml", ".csv")):
                    continue
                path = os.path.join(root, filename)
                with open(path, encoding="utf-8") as handle:
                    for number, line in enumerate(handle, 1):
                        if re.search(rf"\b{re.escape(name)}\b", line):
                            found.append(f"{os.path.relpath(path, REPO)}:{number}")
    return found[:3]


def test_uninstall():
    """Install the three addons (with demo data, next to the peers) and uninstall them: the
    schema is then the crm-only reference's: no column, index, statistics object, constraint,
    table or view of ours is left (crm_lead's indexes and statistics above all)."""
    reference = TEMPLATES["crm"].schema()
    try:
        with TEMPLATES["peer"].copy("uninstall") as database:
            cmd = odoo_command(database, "--log-level=info")
            cmd.insert(3, "shell")
            os.makedirs(LOG_DIR, exist_ok=True)
            with open(os.path.join(LOG_DIR, "uninstall.log"), "w", encoding="utf-8") as log:
                proc = subprocess.run(
                    cmd,
                    input=UNINSTALL_SCRIPT.format(addons=ADDONS),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=REPO,
                    text=True,
                    check=False,
                )
            with open(os.path.join(LOG_DIR, "uninstall.log"), encoding="utf-8") as log:
                problems = problems_in(log.read())
            states = dict(
                query(
                    database,
                    "SELECT name, state FROM ir_module_module WHERE name IN %s",
                    (tuple(ADDONS),),
                )
            )
            left = schema_of(database) - (reference or set())
    except TemplateError as error:
        return Outcome("uninstall", failed=1, details=str(error))
    if reference is None:
        return Outcome("uninstall", failed=1, details="the crm-only reference did not install")
    lines = [
        f"{module} is {state} after the uninstall"
        for module, state in sorted(states.items())
        if state != "uninstalled"
    ]
    if proc.returncode or problems:
        lines += problems[:10] or [f"the uninstall exited with code {proc.returncode}"]
    for kind, table, name in sorted(left):
        where = ", ".join(who_creates(name)) or "not found in our source"
        on = f" on {table}" if table else ""
        lines.append(f"left behind: {kind} {name}{on} ({where})")
    failed = 1 if lines else 0
    return Outcome("uninstall", passed=1 - failed, failed=failed, details="\n".join(lines))


# --------------------------------------------------------------------------
# Upgrade: the previous release installed, then updated (-u) to this code
# --------------------------------------------------------------------------
def manifest_versions(rev=None):
    """{addon: version, adapted to this Odoo's series} of the work tree or of commit `rev`."""
    series = ODOO_VERSION
    versions = {}
    for addon in ADDONS:
        path = f"{addon}/__manifest__.py"
        if rev is None:
            with open(os.path.join(REPO, path), encoding="utf-8") as handle:
                text = handle.read()
        else:
            proc = subprocess.run(
                ["git", "show", f"{rev}:{path}"],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode:
                continue  # the addon did not exist yet
            text = proc.stdout
        version = ast.literal_eval(text)["version"]
        versions[addon] = version if version.startswith(f"{series}.") else f"{series}.{version}"
    return versions


def previous_release():
    """The newest commit whose addons have other manifest versions than the work tree's (the
    last state of the release this code upgrades; None without git history)."""
    proc = subprocess.run(
        ["git", "log", "--first-parent", "--format=%H", "-n", "500"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    current = manifest_versions()
    for rev in proc.stdout.split():
        if manifest_versions(rev) != current:
            return rev
    return None


def test_upgrade():
    """The previous release (previous_release(): its addons from git) installed with demo
    data, then updated to this code with `-u`: no ERROR (nor a deprecation warning of ours),
    every addon at its new version.  $LEAD_UPGRADE_FROM: another commit to upgrade from."""
    import tempfile

    name = "upgrade"
    rev = os.environ.get("LEAD_UPGRADE_FROM") or previous_release()
    if not rev:
        return Outcome(name, failed=1, details="no earlier release found in the git history")
    database = new_db_name("upgrade")
    with tempfile.TemporaryDirectory(prefix="lead-upgrade-") as old_dir:
        archive = subprocess.run(
            ["git", "archive", rev, *manifest_versions(rev)],
            cwd=REPO,
            capture_output=True,
            check=False,
        )
        if archive.returncode:
            return Outcome(name, failed=1, details=f"git archive {rev} failed")
        subprocess.run(["tar", "-x", "-C", old_dir], input=archive.stdout, check=True)
        old = list(manifest_versions(rev))
        try:
            rc, log_text = run_odoo(
                database,
                ["-i", ",".join(old), "--stop-after-init", "--log-level=info"],
                "upgrade_install_previous",
                addons_dir=old_dir,
            )
            if rc or problems_in(log_text):
                details = "\n".join(problems_in(log_text)[:10]) or f"exit code {rc}"
                return Outcome(name, failed=1, details=f"installing {rev[:10]} failed:\n{details}")
            rc, log_text = run_odoo(
                database,
                ["-u", ",".join(old), "--stop-after-init", "--log-level=info"],
                "upgrade",
            )
            installed = dict(
                query(
                    database,
                    "SELECT name, latest_version FROM ir_module_module WHERE name IN %s"
                    " AND state = 'installed'",
                    (tuple(ADDONS),),
                )
            )
        finally:
            drop_database(database)
    lines = problems_in(log_text)[:10]
    if rc:
        lines.append(f"the update exited with code {rc}")
    expected = {addon: version for addon, version in manifest_versions().items() if addon in old}
    if installed != expected:
        lines.append(f"versions after the update {installed}, expected {expected}")
    failed = 1 if lines else 0
    details = f"from {rev[:10]}:\n" + "\n".join(lines) if lines else ""
    return Outcome(name, passed=1 - failed, failed=failed, details=details)


def pytest_odoo_addon(addon):
    """The same Odoo tests through pytest-odoo, against a fresh database."""
    database = new_db_name(f"pytest_{addon}")
    config = os.path.join(LOG_DIR, f"odoo-{database}.conf")
    try:
        rc, log_text = run_odoo(
            database,
            ["-i", addon, *demo_args(False), "--stop-after-init", "--log-level=warn"],
            f"pytest_install_{addon}",
        )
        if rc or problems_in(log_text):
            return Outcome(
                f"pytest-odoo:{addon}", failed=1, details="\n".join(problems_in(log_text))
            )
        with open(config, "w", encoding="utf-8") as handle:
            handle.write(
                "[options]\n"
                f"addons_path = {odoo_addons_path()},{REPO}\n"
                f"data_dir = {DATA_DIR}\n"
                f"db_host = {pg_host()}\ndb_port = {pg_port()}\ndb_user = {db_user()}\n"
                f"http_port = {free_port()}\n"
            )
        return run_pytest(
            f"pytest-odoo:{addon}",
            [
                f"--odoo-database={database}",
                f"--odoo-config={config}",
                f"--ignore={os.path.join(addon, 'tests', 'unit')}",
                os.path.join(addon, "tests"),
            ],
        )
    finally:
        drop_database(database)
        with contextlib.suppress(FileNotFoundError):
            os.remove(config)


_PYTEST_COUNTS = re.compile(r"(\d+) (passed|failed|error|errors|skipped)")


def run_pytest(name, args, env=None):
    os.makedirs(LOG_DIR, exist_ok=True)
    log_path = os.path.join(LOG_DIR, f"{name.replace(':', '_')}.log")
    # -P: the repository root must not be importable as a package path (the
    # addons only import inside Odoo, as odoo.addons.<name>)
    cmd = [venv_python(), "-P", "-m", "pytest", "-p", "no:cacheprovider", "-q", *args]
    with open(log_path, "w", encoding="utf-8") as log, _tracked(cmd, stdout=log, env=env) as proc:
        proc.wait()
    with open(log_path, encoding="utf-8") as log:
        text = log.read()
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    last = [line for line in text.splitlines() if re.search(r"\d+ (passed|failed|error)", line)]
    if last:
        for number, kind in _PYTEST_COUNTS.findall(last[-1]):
            key = "failed" if kind.startswith("error") else kind
            counts[key] += int(number)
    if proc.returncode not in (0, 5) and not counts["failed"]:
        counts["failed"] = 1
    details = text[-6000:] if counts["failed"] else ""
    return Outcome(name, counts["passed"], counts["failed"], counts["skipped"], details)


def unit_test_paths():
    return [
        os.path.join(addon, "tests", "unit")
        for addon in ADDONS
        if os.path.isdir(os.path.join(REPO, addon, "tests", "unit"))
    ]


def test_unit():
    paths = unit_test_paths()
    if not paths:
        return Outcome("unit")
    # the pure-Python tests need neither a database nor Odoo: no pytest-odoo
    return run_pytest("unit", ["-p", "no:odoo", "--import-mode=importlib", *paths])


def test_e2e():
    env = dict(os.environ, PGHOST=pg_host(), PGPORT=pg_port(), ODOO_VERSION=ODOO_VERSION)
    env[SERIES[ODOO_VERSION]["path_env"]] = odoo_path()
    return run_pytest("e2e", ["-p", "no:odoo", "tests"], env=env)


# --------------------------------------------------------------------------
# Running server for the end-to-end tests (used by tests/conftest.py)
# --------------------------------------------------------------------------
@contextlib.contextmanager
def running_server(addons=tuple(ADDONS), demo=False, workers=0, cron_threads=0, name="e2e"):
    """Fresh database with `addons` installed, an Odoo server on a free port.

    `workers`: Odoo's --workers (0: one threaded process; more: the multi-process server of a
    production setup); `cron_threads`: --max-cron-threads (cron workers); changes of a cron's
    next call then wake them at once (ODOO_NOTIFY_CRON_CHANGES).  Logs in
    .logs/<name>_install.log and .logs/<name>_server.log.

    Yields a dict with url, db, login and password; the server is stopped and
    the database dropped afterwards, even on failure.
    """
    check_odoo()
    ensure_postgres()
    database = new_db_name(name)
    proc = None
    try:
        install = ["-i", ",".join(addons), "--stop-after-init", "--log-level=warn"]
        install += demo_args(demo)
        rc, log_text = run_odoo(database, install, f"{name}_install")
        if rc != 0 or problems_in(log_text):
            raise RuntimeError("installing the addons failed:\n" + "\n".join(problems_in(log_text)))
        port = free_port()
        log_path = os.path.join(LOG_DIR, f"{name}_server.log")
        log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115
        env = dict(os.environ, ODOO_NOTIFY_CRON_CHANGES="1") if cron_threads else None
        cmd = odoo_command(
            database,
            f"--http-port={port}",
            # the multi-process server runs a gevent process for the websocket
            f"--gevent-port={free_port() if workers else 0}",
            "--http-interface=127.0.0.1",
            f"--workers={workers}",
            f"--max-cron-threads={cron_threads}",
            "--log-level=warn",
        )
        if workers:
            # it starts that process as `sys.executable sys.argv[0] gevent ...`: a script,
            # not `-m odoo`
            cmd[1:3] = [os.path.join(VENV, "bin", "odoo")]
        proc = subprocess.Popen(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=REPO,
            env=env,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 120
        while time.time() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"the Odoo server exited with code {proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("the Odoo server did not answer within 120 s")
        yield {"url": url, "db": database, "login": "admin", "password": "admin", "log": log_path}
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        drop_database(database)


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------
def prepare(need_browser=False):
    check_odoo()
    ensure_venv()
    reexec_in_venv()
    ensure_postgres()
    if need_browser:
        ensure_test_packages()


def cmd_setup(_args):
    prepare(need_browser=True)
    print("Setup complete.")


def lint_commands():
    targets = [*ADDONS, "tests", "tools"]
    ruff = [venv_python(), "-m", "ruff"]
    # pylint-odoo: the Odoo-specific checks (manifest, translations, SQL injection, XML ids ...)
    pylint = [venv_python(), "-m", "pylint", "--rcfile=.pylintrc"]
    odoo_checks = ["--disable=all", "--enable=odoolint", "--disable=missing-readme"]
    return [
        [*ruff, "check", *targets],
        [*ruff, "format", "--check", *targets],
        [*pylint, *odoo_checks, *ADDONS],
    ]


def test_lint():
    failed, output = 0, []
    for cmd in lint_commands():
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)
        if proc.returncode:
            failed += 1
            output.append(proc.stdout[-3000:] + proc.stderr[-1000:])
    return Outcome("lint", passed=3 - failed, failed=failed, details="\n".join(output))


def cmd_lint(_args):
    prepare()
    rc = 0
    for cmd in lint_commands():
        rc |= subprocess.run(cmd, cwd=REPO, check=False).returncode
    sys.exit(1 if rc else 0)


# the parts of `test`; a full run (`make test`) runs all of TEST_PARTS
TEST_PARTS = [
    "lint",
    "unit",
    "odoo",
    "i18n",
    "demo",
    "together",
    "peer",
    "neighbours",
    "uninstall",
    "upgrade",
    "e2e",
]
# only on request: Odoo's peer tests on the crm-only reference (evidence for PEER_KNOWN_FAILURES)
EXTRA_PARTS = ["peer-baseline"]
# order of the summary lines (by name prefix)
_SUMMARY_ORDER = [
    "lint",
    "unit",
    "odoo:lead",
    "pytest-odoo:",
    "i18n:",
    "demo-install",
    "odoo:together",
    "peer:",
    "peer-baseline:",
    "neighbours:",
    "uninstall",
    "upgrade",
    "e2e",
]


def _summary_rank(outcome):
    ranks = [i for i, prefix in enumerate(_SUMMARY_ORDER) if outcome.name.startswith(prefix)]
    return ranks[0] if ranks else len(_SUMMARY_ORDER)


def _timed(func, *args):
    """Run one step; its outcomes (a list) with the wall time taken."""
    started = time.time()
    result = func(*args)
    outcomes = result if isinstance(result, list) else [result]
    for outcome in outcomes:
        outcome.seconds = time.time() - started
    return outcomes


def _addon_steps(args, parts):
    """Each addon's Odoo tests and translation check."""
    addons = args.addons or ADDONS
    if "odoo" in parts and args.runner == "pytest-odoo":
        steps = [(pytest_odoo_addon, addon) for addon in addons]
    elif "odoo" in parts:
        # the translation check exports from the install the addon's tests ran on
        return [(test_addon, addon, "i18n" in parts) for addon in addons]
    else:
        steps = []
    if "i18n" in parts:
        steps += [(test_i18n, addon) for addon in addons]
    return steps


def test_plan(args):
    """(function, *arguments) of each step, longest first: the first peer suite installs the
    crm-only and peer templates while the other job runs the independent steps."""
    parts = set(args.only or TEST_PARTS)
    plan = []
    if "peer" in parts:
        plan.append((test_peer, "crm"))
    if "e2e" in parts:
        plan.append((test_e2e,))
    # from the previous release: an 18.0 one (19.0 databases start from this code)
    if "upgrade" in parts and ODOO_VERSION == "18.0":
        plan.append((test_upgrade,))
    if "lint" in parts:
        plan.append((test_lint,))
    if "unit" in parts:
        plan.append((test_unit,))
    plan += _addon_steps(args, parts)
    if "demo" in parts:
        plan.append((test_demo_install,))
    if "together" in parts:
        plan.append((test_together,))
    if "peer" in parts:
        plan += [(test_peer, module) for module in PEER_ADDONS if module != "crm"]
    if "peer-baseline" in parts:
        plan += [(test_peer, module, True) for module in PEER_ADDONS]
    if "uninstall" in parts:
        plan.append((test_uninstall,))

    if "neighbours" in parts:
        plan.append((test_neighbours,))
    return plan


def _terminated(signum, _frame):
    sys.exit(128 + signum)  # cmd_test then stops what runs and drops this run's databases


# the series a plain `test` run covers, one after the other
DEFAULT_TEST_SERIES = list(SERIES)


def test_versions(args):
    """The Odoo series a `test` run covers: --odoo-version, else $ODOO_VERSION, else
    DEFAULT_TEST_SERIES."""
    if args.odoo_version:
        return list(dict.fromkeys(args.odoo_version))
    if os.environ.get("ODOO_VERSION"):
        return [ODOO_VERSION]
    return list(DEFAULT_TEST_SERIES)


_TOTAL_LINE = re.compile(r"^TOTAL: (\d+) passed, (\d+) failed, (\d+) skipped")


def run_series(versions, argv):
    """`test` on each Odoo series in turn, each in a child process of its own (its own
    virtualenv, Odoo and databases), its output passed through; then one line per series and
    the total.  Lint does not depend on Odoo: only the first series runs it."""
    for version in versions:
        check_odoo(version)  # every tree first: a missing one stops the run before anything
    signal.signal(signal.SIGTERM, _terminated)
    started, totals, rc = time.time(), [], 0
    only = _only_parts(argv)
    for position, version in enumerate(versions):
        child_argv = list(argv)
        if position and (not only or "lint" in only):
            parts = [part for part in (only or TEST_PARTS) if part != "lint"]
            if not parts:
                continue
            child_argv = [*_without_only(argv), *(f"--only={part}" for part in parts)]
        print(f"===== Odoo {version} ({odoo_path(version)}) =====", flush=True)
        env = dict(os.environ, ODOO_VERSION=version)
        cmd = [sys.executable, os.path.abspath(__file__), "test", *child_argv]
        series_started, total = time.time(), None
        with _tracked(cmd, stdout=subprocess.PIPE, env=env, text=True) as proc:
            try:
                for line in proc.stdout:
                    sys.stdout.write(line)
                    sys.stdout.flush()
                    total = _TOTAL_LINE.match(line) or total
                proc.wait()
            except BaseException:
                stop_running()
                raise
        rc |= proc.returncode
        counts = tuple(int(n) for n in total.groups()) if total else (0, 1, 0)
        totals.append((version, counts, time.time() - series_started, proc.returncode))
        print(flush=True)
    print("===== Summary per Odoo version =====")
    for version, (passed, failed, skipped), seconds, code in totals:
        status = "FAILED" if failed or code else "ok"
        print(
            f"Odoo {version:<6} {passed:>5} passed {failed:>3} failed {skipped:>3} skipped"
            f"  {status:<6} {seconds:>5.0f} s"
        )
    passed, failed, skipped = (sum(t[1][i] for t in totals) for i in range(3))
    print(
        f"TOTAL: {passed} passed, {failed} failed, {skipped} skipped "
        f"(Odoo {', '.join(versions)}; {time.time() - started:.0f} s)"
    )
    sys.exit(1 if rc or failed or not passed else 0)


def _only_parts(argv):
    parts, args = [], iter(argv)
    for arg in args:
        if arg == "--only":
            parts.append(next(args, ""))
        elif arg.startswith("--only="):
            parts.append(arg.split("=", 1)[1])
    return parts


def _without_only(argv):
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--only":
            skip = True
        elif not arg.startswith("--only="):
            kept.append(arg)
    return kept


def _without_versions(argv):
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--odoo-version":
            skip = True
        elif not arg.startswith("--odoo-version="):
            kept.append(arg)
    return kept


def cmd_test(args):
    versions = test_versions(args)
    if versions != [ODOO_VERSION] or not os.environ.get("ODOO_VERSION"):
        # the parent of one run per series (also for one series: the same summary)
        run_series(versions, _without_versions(sys.argv[2:]))
    prepare(need_browser=True)
    started = time.time()
    signal.signal(signal.SIGTERM, _terminated)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs)
    try:
        jobs = [pool.submit(_timed, *step) for step in test_plan(args)]
        outcomes = [outcome for job in jobs for outcome in job.result()]
    except BaseException:
        # Ctrl+C or SIGTERM: no job waits for its Odoo any more, nothing is left running
        pool.shutdown(wait=False, cancel_futures=True)
        stop_running()
        raise
    finally:
        pool.shutdown(wait=True)
        drop_templates()
    print()
    for outcome in sorted(outcomes, key=_summary_rank):
        status = "FAILED" if outcome.failed else "ok"
        seconds = getattr(outcome, "seconds", None)
        print(
            f"{outcome.name:<32} {outcome.passed:>4} passed {outcome.failed:>3} failed"
            f" {outcome.skipped:>3} skipped  {status:<6}"
            + (f" {seconds:>5.0f} s" if seconds is not None else "")
        )
        if outcome.failed and outcome.details:
            print("    " + outcome.details.replace("\n", "\n    "))
        if outcome.notes:
            print("    " + outcome.notes.replace("\n", "\n    "))
    passed = sum(o.passed for o in outcomes)
    failed = sum(o.failed for o in outcomes)
    skipped = sum(o.skipped for o in outcomes)
    seconds = time.time() - started
    print(f"(Odoo {ODOO_VERSION} at {odoo_path()}; logs in {LOG_DIR}; {seconds:.0f} s)")
    print(f"TOTAL: {passed} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed or not passed else 0)


def cmd_demo(args):
    prepare()
    print(f"Recreating database {DEMO_DB} with the three addons and demo data ...", flush=True)
    drop_database(DEMO_DB)
    rc, log_text = run_odoo(
        DEMO_DB,
        ["-i", ",".join(ADDONS), *demo_args(True), "--stop-after-init", "--log-level=warn"],
        "demo",
    )
    if rc != 0 or problems_in(log_text):
        print("\n".join(problems_in(log_text)))
        fail(f"installing the demo database failed (log in {LOG_DIR}/demo.log)", code=1)
    # the product is about leads: the demo turns on CRM's Leads feature the way an administrator
    # does (CRM settings), not through the addons' demo data, which Odoo's own crm tests meet
    cmd = odoo_command(DEMO_DB, "--log-level=warn")
    cmd.insert(3, "shell")
    subprocess.run(
        cmd,
        input="env['res.config.settings'].create({'group_use_lead': True}).execute()\n"
        "env.cr.commit()\n",
        cwd=REPO,
        text=True,
        check=True,
        capture_output=True,
    )
    print(f"Serving http://localhost:{args.port} (login admin / admin); Ctrl+C stops.", flush=True)
    cmd = odoo_command(DEMO_DB, f"--http-port={args.port}", "--gevent-port=0")
    os.execv(cmd[0], cmd)


def cmd_i18n(args):
    """Export <addon>/i18n/<addon>.pot and merge it into the existing .po files."""
    prepare()
    for addon in args.addons:
        i18n_dir = os.path.join(REPO, addon, "i18n")
        os.makedirs(i18n_dir, exist_ok=True)
        pot = os.path.join(i18n_dir, f"{addon}.pot")
        error = export_fresh_pot(addon, pot)
        if error:
            fail(error, code=1)
        for name in sorted(os.listdir(i18n_dir)):
            if name.endswith(".po") and shutil.which("msgmerge"):
                path = os.path.join(i18n_dir, name)
                subprocess.run(
                    [
                        "msgmerge",
                        "--quiet",
                        "--no-fuzzy-matching",
                        "-U",
                        "--backup=none",
                        path,
                        pot,
                    ],
                    check=True,
                )
        print(f"{pot} written")


# --------------------------------------------------------------------------
# Benchmarks (tools/bench.py: one table, ours against crm-only databases)
# --------------------------------------------------------------------------
def add_bench_parser(sub):
    bench = sub.add_parser("bench", help="run every benchmark, print one table")
    bench.add_argument("--quick", action="store_true", help="smaller sizes (under 5 minutes)")
    bench.add_argument("--rounds", type=int, help="rounds per benchmark (default 5, quick 3)")
    bench.add_argument("--only", action="append", help="only this benchmark (repeatable)")
    bench.add_argument("--rebuild", action="store_true", help="rebuild the benchmark databases")
    bench.set_defaults(func=cmd_bench)


def cmd_bench(args):
    prepare()
    cmd = [venv_python(), os.path.join(REPO, "tools", "bench.py")]
    cmd += ["--quick"] if args.quick else []
    cmd += [f"--rounds={args.rounds}"] if args.rounds else []
    cmd += [f"--only={name}" for name in args.only or ()]
    cmd += ["--rebuild"] if args.rebuild else []
    env = dict(os.environ, ODOO_PATH=odoo_path(), PGHOST=pg_host(), PGPORT=pg_port())
    env["ODOO_VERSION"] = ODOO_VERSION
    env["ODOO_DB_USER"] = db_user()
    sys.exit(subprocess.run(cmd, cwd=REPO, env=env, check=False).returncode)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup").set_defaults(func=cmd_setup)
    sub.add_parser("lint").set_defaults(func=cmd_lint)
    test = sub.add_parser("test")
    test.add_argument(
        "--only",
        action="append",
        choices=TEST_PARTS + EXTRA_PARTS,
        help="run only this part (repeatable); default: every part but peer-baseline",
    )
    test.add_argument("--addons", nargs="*", choices=ADDONS)
    test.add_argument(
        "--runner",
        choices=["odoo", "pytest-odoo"],
        default="odoo",
        help="run the addons' Odoo tests with Odoo's --test-tags (default) or pytest-odoo",
    )
    test.add_argument("--jobs", type=int, default=int(os.environ.get("LEAD_TEST_JOBS", "2")))
    test.add_argument(
        "--odoo-version",
        action="append",
        choices=list(SERIES),
        help="run on this Odoo series only (repeatable); default: $ODOO_VERSION if set, "
        "else every series one after the other",
    )
    test.set_defaults(func=cmd_test)
    i18n = sub.add_parser("i18n")
    i18n.add_argument("addons", nargs="+", choices=ADDONS)
    i18n.set_defaults(func=cmd_i18n)
    demo = sub.add_parser("demo")
    demo.add_argument("--port", type=int, default=int(os.environ.get("LEAD_DEMO_PORT", "8069")))
    demo.set_defaults(func=cmd_demo)
    add_bench_parser(sub)
    args = parser.parse_args()
    if ODOO_VERSION not in SERIES:
        fail(f"ODOO_VERSION={ODOO_VERSION} is not one of {', '.join(SERIES)}")
    args.func(args)


if __name__ == "__main__":
    main()
