"""End-to-end: lead distribution over the external API (XML-RPC on 18.0, JSON-2 on 19.0), like an
integrator (issue 5)."""

import uuid

import pytest
from odoo_rpc import RpcError


def _ids(result):
    return result if isinstance(result, list) else [result]


@pytest.fixture(scope="module")
def setup(odoo):
    tag = uuid.uuid4().hex[:6]
    salesman_group = odoo.call(
        "ir.model.data", "check_object_reference", "sales_team", "group_sale_salesman"
    )[1]
    portal_group = odoo.call("ir.model.data", "check_object_reference", "base", "group_portal")[1]
    sellers = [
        odoo.call(
            "res.users",
            "create",
            {
                "name": f"E2E Seller {i} {tag}",
                "login": f"e2e_seller_{i}_{tag}",
                "password": f"e2e_seller_{i}_{tag}",
                odoo.groups_field: [(6, 0, [salesman_group])],
            },
        )
        for i in range(2)
    ]
    partner = odoo.call(
        "res.partner",
        "create",
        {"name": f"E2E Partner {tag}", "is_company": True, "email": f"p{tag}@example.com"},
    )
    contact = odoo.call(
        "res.partner",
        "create",
        {"name": f"E2E Contact {tag}", "parent_id": partner, "email": f"c{tag}@example.com"},
    )
    portal_login = f"e2e_portal_{tag}"
    odoo.call(
        "res.users",
        "create",
        {
            "name": f"E2E Contact {tag}",
            "login": portal_login,
            "password": portal_login,
            "partner_id": contact,
            odoo.groups_field: [(6, 0, [portal_group])],
        },
    )
    team = odoo.call("crm.team", "create", {"name": f"E2E team {tag}"})
    pool = odoo.call(
        "lead.distribution.pool",
        "create",
        {
            "name": f"E2E pool {tag}",
            "team_ids": [(6, 0, [team])],
            "min_grade": False,
            "require_ready": False,
            "member_ids": [
                (0, 0, {"channel": "direct", "user_id": sellers[0]}),
                (0, 0, {"channel": "direct", "user_id": sellers[1]}),
                (0, 0, {"channel": "partner", "partner_id": partner}),
            ],
        },
    )
    return {
        "tag": tag,
        "sellers": sellers,
        "partner": partner,
        "portal": odoo.as_user(portal_login, portal_login),
        "team": team,
        "pool": pool,
    }


def _leads(odoo, setup, count):
    return _ids(
        odoo.call(
            "crm.lead",
            "create",
            [
                {
                    "name": f"E2E lead {i} {setup['tag']}",
                    "type": "lead",
                    "team_id": setup["team"],
                    "user_id": False,
                }
                for i in range(count)
            ],
        )
    )


FIELDS = [
    "distribution_state",
    "distribution_member_id",
    "distribution_channel",
    "channel_partner_id",
    "user_id",
    "distribution_accept_deadline",
    "distribution_followup_deadline",
]


def test_pool_distributes_fairly_and_logs_every_decision(odoo, setup):
    leads = _leads(odoo, setup, 6)
    action = odoo.call("lead.distribution.pool", "action_distribute", [setup["pool"]])
    assert action["params"]["message"] == "6 lead(s) distributed."
    rows = odoo.call("crm.lead", "read", leads, FIELDS)
    members = {}
    for row in rows:
        assert row["distribution_state"] in ("assigned", "offered")
        members.setdefault(row["distribution_member_id"][0], []).append(row)
        if row["distribution_channel"] == "direct":
            assert row["user_id"] and row["distribution_followup_deadline"]
        else:
            assert row["channel_partner_id"][0] == setup["partner"]
            assert row["distribution_accept_deadline"] and not row["user_id"]
    assert sorted(len(v) for v in members.values()) == [2, 2, 2]
    logs = odoo.call(
        "lead.distribution.log",
        "search_read",
        [("lead_id", "in", leads)],
        ["event", "reason", "member_count", "quantity_deficit"],
    )
    assert len(logs) == 6
    assert all(log["reason"] and log["event"] in ("assigned", "offered") for log in logs)


def test_partner_accepts_and_declines_over_the_api(odoo, setup):
    leads = _leads(odoo, setup, 3)
    odoo.call("crm.lead", "action_distribute", leads)
    offered = odoo.call(
        "crm.lead", "search", [("id", "in", leads), ("distribution_state", "=", "offered")]
    )
    assert len(offered) == 1
    portal = setup["portal"]
    # the portal user sees its company's decisions, and only those (the leads themselves
    # only on the portal page, not over RPC)
    visible = portal.call("lead.distribution.log", "search_read", [], ["lead_id"])
    assert offered[0] in {row["lead_id"][0] for row in visible}
    assert not {row["lead_id"][0] for row in visible} & (set(leads) - set(offered))
    portal.call("crm.lead", "action_partner_accept", offered)
    assert (
        odoo.call("crm.lead", "read", offered, ["distribution_state"])[0]["distribution_state"]
        == "accepted"
    )

    more = _leads(odoo, setup, 3)
    odoo.call("crm.lead", "action_distribute", more)
    offered = odoo.call(
        "crm.lead", "search", [("id", "in", more), ("distribution_state", "=", "offered")]
    )
    assert len(offered) == 1
    with pytest.raises(RpcError, match="reason"):
        portal.call("crm.lead", "action_partner_decline", offered, "")
    portal.call("crm.lead", "action_partner_decline", offered, "Not our region")
    row = odoo.call("crm.lead", "read", offered, FIELDS)[0]
    assert row["distribution_state"] == "assigned", "redistributed to direct sales"
    events = odoo.call(
        "lead.distribution.log",
        "search_read",
        [("lead_id", "=", offered[0])],
        ["event"],
        order="id",
    )
    assert [e["event"] for e in events] == ["offered", "declined", "assigned"]


def test_claim_is_logged_and_bad_input_refused(odoo, setup):
    (lead,) = _leads(odoo, setup, 1)
    odoo.call("crm.lead", "write", [lead], {"user_id": setup["sellers"][1]})
    events = odoo.call("lead.distribution.log", "search_read", [("lead_id", "=", lead)], ["event"])
    assert [e["event"] for e in events] == ["claimed"]
    with pytest.raises(RpcError, match="positive"):
        odoo.call(
            "lead.distribution.member",
            "create",
            {"pool_id": setup["pool"], "user_id": odoo.uid, "weight": -1},
        )
    with pytest.raises(RpcError, match="exactly one"):
        odoo.call(
            "lead.distribution.member",
            "create",
            {"pool_id": setup["pool"], "user_id": odoo.uid, "partner_id": setup["partner"]},
        )
    with pytest.raises(RpcError):
        odoo.call("lead.distribution.log", "unlink", [events[0]["id"]])


def test_partner_reports_progress_over_the_api(odoo, setup):
    """A partner's portal user accepts a lead, reports the contact and the deal won; the
    lead's lifecycle ends won, counted for the partner in the fairness report."""
    leads = _leads(odoo, setup, 3)
    odoo.call("crm.lead", "action_distribute", leads)
    offered = odoo.call(
        "crm.lead", "search", [("id", "in", leads), ("distribution_state", "=", "offered")]
    )
    assert offered
    offered = offered[:1]
    portal = setup["portal"]
    with pytest.raises(RpcError, match="not accepted by your company"):
        portal.call("crm.lead", "action_partner_won", offered, 100)
    # "Other reason" of the list needs a few words
    other = odoo.call(
        "ir.model.data", "check_object_reference", "lead_distribution", "decline_reason_other"
    )[1]
    with pytest.raises(RpcError, match="explain"):
        portal.call("crm.lead", "action_partner_decline", offered, "", other)
    portal.call("crm.lead", "action_partner_accept", offered)
    portal.call("crm.lead", "action_partner_contacted", offered, "Called, visit on Monday")
    with pytest.raises(RpcError, match="amount"):
        portal.call("crm.lead", "action_partner_won", offered, -5)
    portal.call("crm.lead", "action_partner_won", offered, 9000)
    row = odoo.call(
        "crm.lead",
        "read",
        offered,
        ["probability", "expected_revenue", "distribution_partner_contacted_date"],
    )[0]
    assert row["probability"] == 100
    assert row["expected_revenue"] == 9000
    assert row["distribution_partner_contacted_date"]
    lost_reason = odoo.call("ir.model.data", "check_object_reference", "crm", "lost_reason_1")[1]
    with pytest.raises(RpcError, match="already closed"):
        portal.call("crm.lead", "action_partner_lost", offered, lost_reason)
    report = odoo.call(
        "lead.distribution.report",
        "search_read",
        [("lead_id", "in", offered), ("partner_id", "=", setup["partner"])],
        ["won", "lost"],
    )
    assert sum(r["won"] for r in report) == 1
    assert sum(r["lost"] for r in report) == 0
