#!/usr/bin/env python3
"""Screenshots of the addons' main screens, taken from the demo data in headless Chromium.

The readmes (``<addon>/readme/*.md``, hence README.rst and static/description/index.html)
show these images; run this script after a change of a screen so that they stay current::

    .venv/bin/python tools/screenshots.py            # fresh database, all screens
    .venv/bin/python tools/screenshots.py --reuse    # reuse database lead_screenshots if present
    .venv/bin/python tools/screenshots.py --keep     # keep database lead_screenshots afterwards
    .venv/bin/python tools/screenshots.py --only lead_distribution   # the screens of one addon

It installs lead_quality, lead_distribution and lead_reporting with demo data into the database
``lead_screenshots`` (dropped afterwards unless --keep), starts an Odoo server on a free port,
logs in over JSON-RPC (``/web/session/authenticate``) as the demo users of the roles (admin as
sales manager, ``demo`` as salesperson, ``nordlicht`` as the portal user of the sales partner),
hands the session cookie to Chromium through the DevTools protocol, opens each screen, waits
until it is loaded and writes ``<addon>/static/description/screenshots/<name>.png``
(1440x900; the portal pages also 375 px wide). Server and Chromium are stopped at the end.
Then regenerate the readmes (``python3 tools/gen_readmes.py``) when images were added.
The demo's dates and times change with every install, so every PNG differs after a run:
commit them when a screen changed, not after every run.
Takes about 4 minutes with a fresh database (most of it the install), 1.5 minutes with --reuse.
"""

import argparse
import base64
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)

import harness  # noqa: E402

DATABASE = "lead_screenshots"
MODULES = ["lead_quality", "lead_distribution", "lead_reporting"]
USERS = {  # role: (login, password) of the demo data (Odoo's and lead_distribution's)
    "manager": ("admin", "admin"),
    "salesperson": ("demo", "demo"),
    "portal": ("nordlicht", "nordlicht"),
}
DESKTOP, PHONE = (1440, 900), (375, 812)

# the web client has shown its view and loads nothing more
BACKEND_READY = (
    "document.readyState === 'complete'"
    " && !!document.querySelector('.o_action_manager .o_view_controller')"
    " && !document.querySelector('.o_loading_indicator')"
    " && !document.querySelector('.o_view_nocontent_empty_folder, .o_blockUI')"
)
PORTAL_READY = "document.readyState === 'complete' && !!document.querySelector('#wrap, main')"
# click the notebook tab `name` of a form view and scroll to it; true once it is shown
OPEN_TAB = (
    "(() => {{ const a = document.querySelector('.o_notebook .nav-link[name=\"{0}\"]');"
    " if (!a) return false; a.click(); a.scrollIntoView({{block: 'start'}});"
    " return a.classList.contains('active'); }})()"
)

# (addon, file name, role, url (ids resolved from xmlids: {xmlid}), extra step, sizes)
SCREENS = [
    (
        "lead_quality",
        "lead_quality_tab",
        "manager",
        "/odoo/crm/{lead_distribution.demo_lead_01}",
        OPEN_TAB.format("lead_quality"),
        [DESKTOP],
    ),
    (
        "lead_quality",
        "quality_by_medium",
        "manager",
        "/odoo/action-lead_quality.lead_quality_medium_report_action",
        None,
        [DESKTOP],
    ),
    (
        "lead_quality",
        "maintenance_scoreboard",
        "manager",
        "/odoo/action-lead_quality.lead_maintenance_scoreboard_action",
        None,
        [DESKTOP],
    ),
    (
        "lead_distribution",
        "pool_form",
        "manager",
        "/odoo/action-lead_distribution.lead_distribution_pool_action/"
        "{lead_distribution.demo_pool}",
        None,
        [DESKTOP],
    ),
    (
        "lead_distribution",
        "decision_log",
        "manager",
        "/odoo/action-lead_distribution.lead_distribution_log_action",
        None,
        [DESKTOP],
    ),
    (
        "lead_distribution",
        "fairness_report",
        "manager",
        "/odoo/action-lead_distribution.lead_distribution_report_action",
        None,
        [DESKTOP],
    ),
    (
        "lead_distribution",
        "portal_offered_leads",
        "portal",
        "/my/offered-leads",
        None,
        [DESKTOP, PHONE],
    ),
    (
        "lead_distribution",
        "portal_lead",
        "portal",
        "portal_lead",  # the first lead of the list above
        None,
        [DESKTOP, PHONE],
    ),
    (
        "lead_reporting",
        "funnel_plan_form",
        "manager",
        "/odoo/action-lead_reporting.action_lead_funnel_plan/"
        "{lead_reporting.demo_plan_sales_this_year}",
        OPEN_TAB.format("lines"),
        [DESKTOP],
    ),
    (
        "lead_reporting",
        "plan_vs_actual",
        "manager",
        "/odoo/action-lead_reporting.action_lead_funnel_report",
        None,
        [DESKTOP],
    ),
    (
        "lead_reporting",
        "marketing_vs_sales",
        "manager",
        "/odoo/action-lead_reporting.action_marketing_vs_sales",
        None,
        [DESKTOP],
    ),
    (
        "lead_reporting",
        "marketing_quotas",
        "manager",
        "/odoo/action-lead_reporting.action_lead_marketing_quota",
        None,
        [DESKTOP],
    ),
    (
        "lead_reporting",
        "my_lead_results",
        "salesperson",
        "/odoo/action-lead_reporting.action_my_lead_results",
        None,
        [DESKTOP],
    ),
]


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --------------------------------------------------------------------------
# Database and server
# --------------------------------------------------------------------------
def database_exists(name):
    return bool(harness.query("postgres", "SELECT 1 FROM pg_database WHERE datname = %s", (name,)))


def install(database):
    log(f"Installing {', '.join(MODULES)} with demo data into {database} ...")
    harness.drop_database(database)
    args = ["-i", ",".join(MODULES), "--stop-after-init", "--log-level=warn"]
    rc, log_text = harness.run_odoo(database, args, "screenshots_install")
    problems = harness.problems_in(log_text)
    if rc or problems:
        print("\n".join(problems[:20]))
        harness.fail(f"the install failed (log in {harness.LOG_DIR}/screenshots_install.log)", 1)


def record_ids(database):
    """{'module.name': id} of every xmlid the screens' URLs name."""
    names = {name for screen in SCREENS for name in re.findall(r"\{([\w.]+)\}", screen[3])}
    rows = harness.query(
        database,
        "SELECT module || '.' || name, res_id FROM ir_model_data"
        " WHERE module || '.' || name = ANY(%s)",
        (sorted(names),),
    )
    found = dict(rows)
    missing = names - set(found)
    if missing:
        harness.fail(f"not in the database: {', '.join(sorted(missing))}")
    return found


def wait_for_port(port, proc, what, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            harness.fail(f"{what} exited with code {proc.returncode}", 1)
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.5)
    harness.fail(f"{what} did not answer within {timeout} s", 1)


@contextlib.contextmanager
def odoo_server(database):
    port = harness.free_port()
    log_path = os.path.join(harness.LOG_DIR, "screenshots_server.log")
    cmd = harness.odoo_command(
        database,
        f"--http-port={port}",
        "--gevent-port=0",
        "--http-interface=127.0.0.1",
        "--workers=0",
        "--max-cron-threads=0",
        "--log-level=warn",
    )
    with open(log_path, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=harness.REPO)
    try:
        wait_for_port(port, proc, "the Odoo server")
        yield f"http://127.0.0.1:{port}"
    finally:
        harness._stop_process_tree(proc)


def session_id(url, database, login, password):
    """The session cookie of a JSON-RPC login."""
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": database, "login": login, "password": password},
        }
    ).encode()
    request = urllib.request.Request(
        f"{url}/web/session/authenticate", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
        cookies = response.headers.get_all("Set-Cookie") or []
    if answer.get("error") or not answer.get("result", {}).get("uid"):
        harness.fail(f"login as {login} failed: {answer.get('error')}", 1)
    for cookie in cookies:
        name, _sep, rest = cookie.partition("=")
        if name.strip() == "session_id":
            return rest.split(";")[0]
    harness.fail(f"login as {login}: no session cookie", 1)
    return None


# --------------------------------------------------------------------------
# Chromium over the DevTools protocol
# --------------------------------------------------------------------------
class Browser:
    def __init__(self):
        import websocket

        executable = shutil.which("chromium") or shutil.which("chromium-browser")
        if not executable:
            harness.fail("chromium not found (Debian: apt-get install chromium)")
        self.profile = tempfile.mkdtemp(prefix="lead_screenshots_chromium_")
        port = harness.free_port()
        self.proc = subprocess.Popen(
            [
                executable,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={port}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(port, self.proc, "Chromium", timeout=30)
        page = None
        for _attempt in range(50):
            with (
                contextlib.suppress(OSError, ValueError),
                urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as response,
            ):
                page = next((t for t in json.load(response) if t["type"] == "page"), None)
            if page:
                break
            time.sleep(0.2)
        if not page:
            self.close()
            harness.fail("Chromium shows no page to drive", 1)
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0

    def send(self, method, **params):
        """Send one command; its result (events in between are skipped)."""
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, expression, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(expression):
                return True
            time.sleep(0.3)
        return False

    def login(self, url, session):
        self.send("Network.enable")
        self.send("Network.clearBrowserCookies")
        self.send("Network.setCookie", name="session_id", value=session, url=url, path="/")

    def resize(self, width, height):
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )

    def capture(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))

    def close(self):
        with contextlib.suppress(Exception):
            self.socket.close()
        harness._stop_process_tree(self.proc)
        shutil.rmtree(self.profile, ignore_errors=True)


def take(browser, url, screens, ids, sessions):
    failures = []
    portal_lead = None
    for addon, name, role, screen_path, step, sizes in screens:
        browser.login(url, sessions[role])
        if screen_path == "portal_lead" and not portal_lead:
            failures.append(f"{addon}/{name}: no lead in the portal list")
            continue
        path = portal_lead if screen_path == "portal_lead" else screen_path
        path = re.sub(r"\{([\w.]+)\}", lambda m: str(ids[m.group(1)]), path)
        ready = PORTAL_READY if path.startswith("/my") else BACKEND_READY
        for width, height in sizes:
            browser.resize(width, height)
            browser.send("Page.navigate", url=url + path)
            time.sleep(1)
            if not browser.wait_for(ready) or (step and not browser.wait_for(step, timeout=15)):
                failures.append(f"{addon}/{name} ({width} px): not loaded in time")
                continue
            time.sleep(1.5)  # let the charts' and the tabs' animations finish
            suffix = "_phone" if width < 600 else ""
            target = os.path.join(
                harness.REPO, addon, "static", "description", "screenshots", f"{name}{suffix}.png"
            )
            browser.capture(target)
            log(f"{os.path.relpath(target, harness.REPO)} ({os.path.getsize(target) // 1024} KB)")
        if path == "/my/offered-leads":
            portal_lead = browser.evaluate(
                "(() => { const a = [...document.querySelectorAll('a[href]')].find("
                "e => /^\\/my\\/offered-leads\\/\\d+/.test(e.getAttribute('href')));"
                " return a && a.getAttribute('href').split('?')[0]; })()"
            )
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help=f"reuse {DATABASE} if it exists")
    parser.add_argument("--keep", action="store_true", help=f"keep {DATABASE} afterwards")
    parser.add_argument("--only", nargs="+", choices=MODULES, help="the screens of these addons")
    args = parser.parse_args()
    harness.check_odoo()
    harness.ensure_postgres()
    started = time.time()
    screens = [s for s in SCREENS if not args.only or s[0] in args.only]
    if any(s[3] == "portal_lead" for s in screens) and not any(
        s[3] == "/my/offered-leads" for s in screens
    ):
        harness.fail("the portal lead page needs the portal list")
    try:
        if not (args.reuse and database_exists(DATABASE)):
            install(DATABASE)
        ids = record_ids(DATABASE)
        with odoo_server(DATABASE) as url:
            log(f"Odoo at {url}")
            sessions = {
                role: session_id(url, DATABASE, login, password)
                for role, (login, password) in USERS.items()
                if any(s[2] == role for s in screens)
            }
            browser = Browser()
            try:
                failures = take(browser, url, screens, ids, sessions)
            finally:
                browser.close()
    finally:
        if not args.keep:
            harness.drop_database(DATABASE)
    log(f"done in {time.time() - started:.0f} s")
    if failures:
        print("NOT TAKEN:\n  " + "\n  ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
