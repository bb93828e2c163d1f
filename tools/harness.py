#!/usr/bin/env python3
"""Project harness: find Odoo, build the virtualenv, prepare PostgreSQL, run
the test suites and the demo server.

Usage (normally through the Makefile)::

    python3 tools/harness.py test      # unit + Odoo + demo-install + e2e tests
    python3 tools/harness.py demo      # recreate `lead_demo` and serve it on :8069
    python3 tools/harness.py lint      # ruff
    python3 tools/harness.py setup     # only the virtualenv and the database role

Only the standard library is used until the virtualenv exists; the script then
re-executes itself with the virtualenv's interpreter.
"""

import argparse
import concurrent.futures
import contextlib
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.environ.get("LEAD_VENV", os.path.join(REPO, ".venv"))
LOG_DIR = os.environ.get("LEAD_LOG_DIR", os.path.join(REPO, ".logs"))
DATA_DIR = os.path.join(REPO, ".odoo-data")
ADDONS = ["lead_quality", "lead_distribution", "lead_reporting"]
REQUIREMENTS = ["requirements-odoo.txt", "requirements-test.txt"]
DEMO_DB = "lead_demo"
DB_PREFIX = "lead_test_"


def odoo_path():
    return os.path.abspath(os.environ.get("ODOO_PATH", "/opt/odoo"))


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
def check_odoo():
    """Stop at once, with one clear line, unless $ODOO_PATH holds Odoo 18.0."""
    path = odoo_path()
    release = os.path.join(path, "odoo", "release.py")
    hint = "set ODOO_PATH to the directory of an Odoo 18.0 source tree (default /opt/odoo)"
    if not (os.path.isfile(release) and os.path.isfile(os.path.join(path, "setup.py"))):
        fail(f"no Odoo source tree at {path} (looked for odoo/release.py and setup.py); {hint}")
    with open(release, encoding="utf-8") as handle:
        match = re.search(r"^version_info = \((\d+), (\d+)", handle.read(), re.M)
    version = f"{match.group(1)}.{match.group(2)}" if match else "unknown"
    if version != "18.0":
        fail(f"Odoo at {path} is version {version}, not 18.0; {hint}")
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
    _quiet_run([*pip, "-r", os.path.join(REPO, "requirements-test.txt")])
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


# --------------------------------------------------------------------------
# Running Odoo
# --------------------------------------------------------------------------
def odoo_command(database, *args):
    return [
        venv_python(),
        "-m",
        "odoo",
        f"--addons-path={os.path.join(odoo_path(), 'odoo', 'addons')},{REPO}",
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


def run_odoo(database, args, log_name):
    """Run Odoo to completion, its log in .logs/<log_name>.log; return (rc, log text)."""
    os.makedirs(LOG_DIR, exist_ok=True)
    log_path = os.path.join(LOG_DIR, f"{log_name}.log")
    # each run gets its own HTTP port: HttpCase tests start a server
    cmd = odoo_command(database, f"--http-port={free_port()}", "--gevent-port=0", *args)
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=REPO, check=False)
    with open(log_path, encoding="utf-8") as log:
        return proc.returncode, log.read()


_LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) ")
_REPORT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")


# warnings that mean the install is broken all the same
_FATAL_WARNINGS = ("demo data failed to install",)


def problems_in(log_text):
    """ERROR and CRITICAL log records (and fatal warnings), with their continuation lines."""
    found, current = [], None
    for line in log_text.splitlines():
        match = _LOG_LINE.match(line)
        if match:
            fatal = match.group(1) in ("ERROR", "CRITICAL") or any(
                warning in line for warning in _FATAL_WARNINGS
            )
            current = [line] if fatal else None
            if current is not None:
                found.append(current)
        elif current is not None:
            current.append(line)
    return ["\n".join(record) for record in found]


class Outcome:
    def __init__(self, name, passed=0, failed=0, skipped=0, details=""):
        self.name, self.passed, self.failed = name, passed, failed
        self.skipped, self.details = skipped, details


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


def test_addon(addon):
    database = new_db_name(addon)
    try:
        rc, log_text = run_odoo(
            database,
            [
                "-i",
                addon,
                f"--test-tags=/{addon}",
                "--without-demo=all",
                "--stop-after-init",
                "--log-level=info",
            ],
            f"test_{addon}",
        )
        return odoo_test_outcome(f"odoo:{addon}", rc, log_text)
    finally:
        drop_database(database)


def test_demo_install():
    """Install all addons *with* demo data: broken demo data fails the run."""
    database = new_db_name("demo")
    try:
        rc, log_text = run_odoo(
            database,
            ["-i", ",".join(ADDONS), "--stop-after-init", "--log-level=info"],
            "demo_install",
        )
        problems = problems_in(log_text)
        failed = 1 if rc or problems else 0
        details = "\n".join(problems[:20])
        return Outcome("demo-install", passed=1 - failed, failed=failed, details=details)
    finally:
        drop_database(database)


def pytest_odoo_addon(addon):
    """The same Odoo tests through pytest-odoo, against a fresh database."""
    database = new_db_name(f"pytest_{addon}")
    config = os.path.join(LOG_DIR, f"odoo-{database}.conf")
    try:
        rc, log_text = run_odoo(
            database,
            ["-i", addon, "--without-demo=all", "--stop-after-init", "--log-level=warn"],
            f"pytest_install_{addon}",
        )
        if rc or problems_in(log_text):
            return Outcome(
                f"pytest-odoo:{addon}", failed=1, details="\n".join(problems_in(log_text))
            )
        with open(config, "w", encoding="utf-8") as handle:
            handle.write(
                "[options]\n"
                f"addons_path = {os.path.join(odoo_path(), 'odoo', 'addons')},{REPO}\n"
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
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.run(
            cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=env, check=False
        )
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
    env = dict(os.environ, ODOO_PATH=odoo_path(), PGHOST=pg_host(), PGPORT=pg_port())
    return run_pytest("e2e", ["-p", "no:odoo", "tests"], env=env)


# --------------------------------------------------------------------------
# Running server for the end-to-end tests (used by tests/conftest.py)
# --------------------------------------------------------------------------
@contextlib.contextmanager
def running_server(addons=tuple(ADDONS), demo=False):
    """Fresh database with `addons` installed, an Odoo server on a free port.

    Yields a dict with url, db, login and password; the server is stopped and
    the database dropped afterwards, even on failure.
    """
    check_odoo()
    ensure_postgres()
    database = new_db_name("e2e")
    proc = None
    try:
        install = ["-i", ",".join(addons), "--stop-after-init", "--log-level=warn"]
        if not demo:
            install.append("--without-demo=all")
        rc, log_text = run_odoo(database, install, "e2e_install")
        if rc != 0 or problems_in(log_text):
            raise RuntimeError("installing the addons failed:\n" + "\n".join(problems_in(log_text)))
        port = free_port()
        log = open(os.path.join(LOG_DIR, "e2e_server.log"), "w", encoding="utf-8")  # noqa: SIM115
        proc = subprocess.Popen(
            odoo_command(
                database,
                f"--http-port={port}",
                "--gevent-port=0",
                "--http-interface=127.0.0.1",
                "--workers=0",
                "--max-cron-threads=0",
                "--log-level=warn",
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=REPO,
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
        yield {"url": url, "db": database, "login": "admin", "password": "admin"}
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


def cmd_test(args):
    prepare(need_browser=True)
    started = time.time()
    addons = args.addons or ADDONS
    jobs = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        if not args.only or "lint" in args.only:
            jobs.append(pool.submit(test_lint))
        if not args.only or "unit" in args.only:
            jobs.append(pool.submit(test_unit))
        if not args.only or "odoo" in args.only:
            runner = pytest_odoo_addon if args.runner == "pytest-odoo" else test_addon
            jobs.extend(pool.submit(runner, addon) for addon in addons)
        if not args.only or "demo" in args.only:
            jobs.append(pool.submit(test_demo_install))
        if not args.only or "e2e" in args.only:
            jobs.append(pool.submit(test_e2e))
        outcomes = [job.result() for job in jobs]
    print()
    for outcome in outcomes:
        status = "FAILED" if outcome.failed else "ok"
        print(
            f"{outcome.name:<24} {outcome.passed:>4} passed {outcome.failed:>3} failed"
            f" {outcome.skipped:>3} skipped  {status}"
        )
        if outcome.failed and outcome.details:
            print("    " + outcome.details.replace("\n", "\n    "))
    passed = sum(o.passed for o in outcomes)
    failed = sum(o.failed for o in outcomes)
    skipped = sum(o.skipped for o in outcomes)
    print(f"(logs in {LOG_DIR}; {time.time() - started:.0f} s)")
    print(f"TOTAL: {passed} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed or not passed else 0)


def cmd_demo(args):
    prepare()
    print(f"Recreating database {DEMO_DB} with the three addons and demo data ...", flush=True)
    drop_database(DEMO_DB)
    rc, log_text = run_odoo(
        DEMO_DB, ["-i", ",".join(ADDONS), "--stop-after-init", "--log-level=warn"], "demo"
    )
    if rc != 0 or problems_in(log_text):
        print("\n".join(problems_in(log_text)))
        fail(f"installing the demo database failed (log in {LOG_DIR}/demo.log)", code=1)
    print(f"Serving http://localhost:{args.port} (login admin / admin); Ctrl+C stops.", flush=True)
    cmd = odoo_command(DEMO_DB, f"--http-port={args.port}", "--gevent-port=0")
    os.execv(cmd[0], cmd)


def cmd_i18n(args):
    """Export <addon>/i18n/<addon>.pot and merge it into the existing .po files."""
    prepare()
    for addon in args.addons:
        database = new_db_name(f"i18n_{addon}")
        i18n_dir = os.path.join(REPO, addon, "i18n")
        os.makedirs(i18n_dir, exist_ok=True)
        pot = os.path.join(i18n_dir, f"{addon}.pot")
        try:
            rc, log_text = run_odoo(
                database,
                ["-i", addon, "--without-demo=all", "--stop-after-init", "--log-level=warn"],
                f"i18n_install_{addon}",
            )
            if rc or problems_in(log_text):
                fail(f"installing {addon} failed: " + "\n".join(problems_in(log_text)), code=1)
            rc, _log_text = run_odoo(
                database,
                [f"--i18n-export={pot}", f"--modules={addon}", "--stop-after-init"],
                f"i18n_export_{addon}",
            )
            if rc:
                fail(f"exporting the translation template of {addon} failed", code=1)
        finally:
            drop_database(database)
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup").set_defaults(func=cmd_setup)
    sub.add_parser("lint").set_defaults(func=cmd_lint)
    test = sub.add_parser("test")
    test.add_argument("--only", action="append", choices=["lint", "unit", "odoo", "demo", "e2e"])
    test.add_argument("--addons", nargs="*", choices=ADDONS)
    test.add_argument(
        "--runner",
        choices=["odoo", "pytest-odoo"],
        default="odoo",
        help="run the addons' Odoo tests with Odoo's --test-tags (default) or pytest-odoo",
    )
    test.add_argument("--jobs", type=int, default=int(os.environ.get("LEAD_TEST_JOBS", "2")))
    test.set_defaults(func=cmd_test)
    i18n = sub.add_parser("i18n")
    i18n.add_argument("addons", nargs="+", choices=ADDONS)
    i18n.set_defaults(func=cmd_i18n)
    demo = sub.add_parser("demo")
    demo.add_argument("--port", type=int, default=int(os.environ.get("LEAD_DEMO_PORT", "8069")))
    demo.set_defaults(func=cmd_demo)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
