"""End-to-end fixtures: a fresh database with the three addons and an Odoo
server on a free port, driven over XML-RPC like an integrator would."""

import os
import sys
import xmlrpc.client

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "tools"))

import harness


class OdooClient:
    """Thin XML-RPC client: what an integrator writes with xmlrpc.client."""

    def __init__(self, url, db, login, password, log=None):
        self.url, self.db, self.login, self.password = url, db, login, password
        self.log = log  # the server's log file
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.version = common.version()
        self.uid = common.authenticate(db, login, password, {})
        if not self.uid:
            raise RuntimeError(f"login {login!r} refused")
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.db, self.uid, self.password, model, method, list(args), kwargs
        )

    def as_user(self, login, password):
        return OdooClient(self.url, self.db, login, password, self.log)


@pytest.fixture(scope="session")
def odoo_server():
    with harness.running_server() as server:
        yield server


@pytest.fixture(scope="session")
def odoo(odoo_server):
    return OdooClient(**odoo_server)


@pytest.fixture(scope="module")
def odoo_workers():
    """A server of its own like a production one: two HTTP worker processes and a cron
    worker (for tests of concurrent requests and scheduled actions)."""
    with harness.running_server(workers=2, cron_threads=1, name="e2e_workers") as server:
        yield OdooClient(**server)
