"""End-to-end fixtures: a fresh database with the three addons and an Odoo server on a free
port, driven like an integrator would: over XML-RPC on Odoo 18.0, over JSON-2 with an API key
on Odoo 19.0 (tools/odoo_rpc.py)."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "tools"))

import harness
import odoo_rpc

#: the client of the Odoo under test ($ODOO_VERSION, see tools/harness.py)
OdooClient = odoo_rpc.client_for(int(harness.ODOO_VERSION.split(".")[0]))


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
