"""The three addons are installed and reachable over XML-RPC."""

import harness


def test_server_is_odoo_18(odoo):
    assert odoo.version["server_version_info"][:2] == [18, 0]


def test_three_addons_installed(odoo):
    modules = odoo.call(
        "ir.module.module",
        "search_read",
        [["name", "in", harness.ADDONS]],
        fields=["name", "state"],
    )
    assert {m["name"]: m["state"] for m in modules} == dict.fromkeys(harness.ADDONS, "installed")
