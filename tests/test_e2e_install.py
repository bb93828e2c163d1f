"""The three addons are installed and reachable over the external API (XML-RPC on 18.0, JSON-2 on
19.0)."""

import harness


def test_server_is_the_odoo_under_test(odoo):
    expected = [int(part) for part in harness.ODOO_VERSION.split(".")]
    assert odoo.version["server_version_info"][:2] == expected


def test_three_addons_installed(odoo):
    modules = odoo.call(
        "ir.module.module",
        "search_read",
        [["name", "in", harness.ADDONS]],
        fields=["name", "state"],
    )
    assert {m["name"]: m["state"] for m in modules} == dict.fromkeys(harness.ADDONS, "installed")
