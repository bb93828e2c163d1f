"""End-to-end over the external API (XML-RPC on 18.0, JSON-2 on 19.0): no context key switches the
claim control off, the decision log follows the visibility of the leads and outlives them, portal
users reach no lead fields."""

import uuid

import pytest
from odoo_rpc import RpcError

# every context key lead_distribution reads, or ever read, and Odoo's own switches
CLIENT_CONTEXT = {
    "lead_distribution_assign": True,
    "lead_distribution_no_auto": True,
    "tracking_disable": True,
    "mail_notrack": True,
    "active_test": False,
}


def _ids(result):
    return result if isinstance(result, list) else [result]


def _refused(call, *args, **kwargs):
    """``call`` fails with Odoo's access error; return the error."""
    with pytest.raises(RpcError) as caught:
        call(*args, **kwargs)
    assert caught.value.is_access_error, caught.value.message
    return caught.value


def _ref(odoo, module, name):
    return odoo.call("ir.model.data", "check_object_reference", module, name)[1]


@pytest.fixture(scope="module")
def world(odoo):
    tag = uuid.uuid4().hex[:6]
    salesman = _ref(odoo, "sales_team", "group_sale_salesman")
    portal_group = _ref(odoo, "base", "group_portal")

    def user(name, groups, **vals):
        login = f"sec_{name}_{tag}"
        uid = odoo.call(
            "res.users",
            "create",
            {
                "name": f"Sec {name} {tag}",
                "login": login,
                "password": login,
                odoo.groups_field: [(6, 0, groups)],
                **vals,
            },
        )
        return uid, odoo.as_user(login, login)

    seller_a, as_a = user("seller_a", [salesman])
    seller_b, as_b = user("seller_b", [salesman])
    partner = odoo.call(
        "res.partner",
        "create",
        {"name": f"Sec Partner {tag}", "is_company": True, "email": f"s{tag}@example.com"},
    )
    contact = odoo.call("res.partner", "create", {"name": f"Sec C {tag}", "parent_id": partner})
    _portal, as_portal = user("portal", [portal_group], partner_id=contact)
    team = odoo.call("crm.team", "create", {"name": f"Sec team {tag}"})
    pool = odoo.call(
        "lead.distribution.pool",
        "create",
        {
            "name": f"Sec pool {tag}",
            "team_ids": [(6, 0, [team])],
            "min_grade": False,
            "require_ready": False,
            "claim_approval": True,
            "member_ids": [
                (0, 0, {"channel": "direct", "user_id": seller_a}),
                (0, 0, {"channel": "direct", "user_id": seller_b}),
                (0, 0, {"channel": "partner", "partner_id": partner}),
            ],
        },
    )
    return {
        "tag": tag,
        "seller_a": seller_a,
        "seller_b": seller_b,
        "as_a": as_a,
        "as_b": as_b,
        "as_portal": as_portal,
        "partner": partner,
        "team": team,
        "pool": pool,
    }


def _leads(odoo, world, count, **vals):
    return _ids(
        odoo.call(
            "crm.lead",
            "create",
            [
                {
                    "name": f"Sec lead {i} {world['tag']} {uuid.uuid4().hex[:4]}",
                    "type": "lead",
                    "team_id": world["team"],
                    "user_id": False,
                    **vals,
                }
                for i in range(count)
            ],
        )
    )


def _log(odoo, domain, fields=("event", "lead_id", "lead_name", "user_id")):
    return odoo.call("lead.distribution.log", "search_read", domain, list(fields), order="id")


def test_no_context_key_lets_a_salesperson_claim(odoo, world):
    (lead,) = _leads(odoo, world, 1)
    seller = world["seller_a"]
    fault = _refused(
        world["as_a"].call, "crm.lead", "write", [lead], {"user_id": seller}, context=CLIENT_CONTEXT
    )
    assert "only a CRM manager" in fault.message
    # nor through the distribution's own fields, nor by taking it out of the pool first
    for vals in (
        {"distribution_state": "assigned", "user_id": seller},
        {"distribution_state": "assigned"},
        {"distribution_pool_id": False},
    ):
        _refused(world["as_a"].call, "crm.lead", "write", [lead], vals, context=CLIENT_CONTEXT)
    row = odoo.call("crm.lead", "read", [lead], ["user_id", "distribution_state"])[0]
    assert row["user_id"] is False
    assert row["distribution_state"] is False
    assert _log(odoo, [("lead_id", "=", lead)]) == [], "no silent claim, no log"
    # a manager (admin) may claim it: logged, with the follow-up deadline
    odoo.call("crm.lead", "write", [lead], {"user_id": seller}, context=CLIENT_CONTEXT)
    row = odoo.call("crm.lead", "read", [lead], ["user_id", "distribution_followup_deadline"])[0]
    assert row["user_id"][0] == seller
    assert row["distribution_followup_deadline"]
    assert [line["event"] for line in _log(odoo, [("lead_id", "=", lead)])] == ["claimed"]


def test_no_auto_context_does_not_stop_the_distribution(odoo, world):
    team = odoo.call("crm.team", "create", {"name": f"Sec auto team {world['tag']}"})
    odoo.call(
        "lead.distribution.pool",
        "create",
        {
            "name": f"Sec auto pool {world['tag']}",
            "team_ids": [(6, 0, [team])],
            "min_grade": False,
            "require_ready": False,
            "mode": "on_create",
            "member_ids": [(0, 0, {"channel": "direct", "user_id": world["seller_b"]})],
        },
    )
    lead = world["as_a"].call(
        "crm.lead",
        "create",
        {"name": f"Sec auto {world['tag']}", "team_id": team, "user_id": False},
        context=CLIENT_CONTEXT,
    )
    row = odoo.call("crm.lead", "read", [lead], ["user_id", "distribution_state"])[0]
    assert row["distribution_state"] == "assigned"
    assert row["user_id"][0] == world["seller_b"]


def test_log_and_report_follow_the_leads_visibility(odoo, world):
    leads = _leads(odoo, world, 3)
    odoo.call("crm.lead", "action_distribute", leads)
    rows = odoo.call("crm.lead", "read", leads, ["user_id", "channel_partner_id"])
    of_a = [r["id"] for r in rows if r["user_id"] and r["user_id"][0] == world["seller_a"]]
    of_b = [r["id"] for r in rows if r["user_id"] and r["user_id"][0] == world["seller_b"]]
    offered = [r["id"] for r in rows if r["channel_partner_id"]]
    assert of_b and offered
    for model in ("lead.distribution.log", "lead.distribution.report"):
        seen = world["as_a"].call(model, "search_read", [("lead_id", "in", leads)], ["lead_id"])
        assert {r["lead_id"][0] for r in seen} == set(of_a + offered), model
    line_b = _log(odoo, [("lead_id", "in", of_b)])[0]["id"]
    _refused(world["as_a"].call, "lead.distribution.log", "read", [line_b], ["lead_name"])
    # the partner: its company's lines only, no report
    seen = world["as_portal"].call(
        "lead.distribution.log", "search_read", [("lead_id", "in", leads)], ["lead_id"]
    )
    assert {r["lead_id"][0] for r in seen} == set(offered)
    _refused(world["as_portal"].call, "lead.distribution.report", "search", [])


def test_portal_reads_no_lead_fields_but_answers(odoo, world):
    leads = _leads(
        odoo, world, 3, description="<p>Internal: budget 1M</p>", expected_revenue=120000
    )
    odoo.call("crm.lead", "action_distribute", leads)
    offered = odoo.call(
        "crm.lead", "search", [("id", "in", leads), ("distribution_state", "=", "offered")]
    )
    assert len(offered) == 1
    portal = world["as_portal"]
    for fields in (["description"], ["expected_revenue", "probability"], ["name"]):
        _refused(portal.call, "crm.lead", "read", offered, fields)
    _refused(portal.call, "crm.lead", "search_read", [], ["description"])
    portal.call("crm.lead", "action_partner_accept", offered)
    state = odoo.call("crm.lead", "read", offered, ["distribution_state"])[0]
    assert state["distribution_state"] == "accepted"
    # another lead (not offered to the partner): refused without telling its name
    other = next(lead for lead in leads if lead not in offered)
    name = odoo.call("crm.lead", "read", [other], ["name"])[0]["name"]
    fault = _refused(portal.call, "crm.lead", "action_partner_accept", [other])
    assert name not in fault.message


def test_log_outlives_merged_and_deleted_leads_and_pools(odoo, world):
    leads = _leads(odoo, world, 4)
    odoo.call("crm.lead", "action_distribute", leads)
    before = odoo.call(
        "lead.distribution.report",
        "read_group",
        [("pool_id", "=", world["pool"])],
        ["received:sum"],
        ["member_id"],
    )
    lines = _log(odoo, [("lead_id", "in", leads)])
    names = {line["id"]: line["lead_id"][1] for line in lines}
    # merge two leads of the same member with crm's wizard (four leads, three members; two
    # leads of different salespeople would give the merged lead another one: a claim)
    holders = odoo.call("crm.lead", "read", leads, ["distribution_member_id"])
    by_member = {}
    for row in holders:
        by_member.setdefault(row["distribution_member_id"][0], []).append(row["id"])
    pair = next(ids[:2] for ids in by_member.values() if len(ids) >= 2)
    deleted = next(lead for lead in leads if lead not in pair)
    wizard = odoo.call("crm.merge.opportunity", "create", {"opportunity_ids": [(6, 0, pair)]})
    head = odoo.call("crm.merge.opportunity", "action_merge", [wizard])["res_id"]
    gone = [lead for lead in pair if lead != head]
    assert not odoo.call("crm.lead", "search", [("id", "in", gone)])
    # delete another one
    odoo.call("crm.lead", "unlink", [deleted])
    after = _log(odoo, [("id", "in", list(names))])
    assert len(after) == len(lines), "no line was lost"
    by_id = {line["id"]: line for line in after}
    for line in lines:
        now = by_id[line["id"]]
        if line["lead_id"][0] in pair:
            assert now["lead_id"][0] == head
            assert now["lead_name"] == names[line["id"]]
        elif line["lead_id"][0] == deleted:
            assert now["lead_id"] is False
            assert now["lead_name"] == names[line["id"]]
        else:
            assert now["lead_id"] == line["lead_id"]
    assert (
        odoo.call(
            "lead.distribution.report",
            "read_group",
            [("pool_id", "=", world["pool"])],
            ["received:sum"],
            ["member_id"],
        )
        == before
    ), "past fairness counts unchanged"
    with pytest.raises(RpcError, match="archive it instead"):
        odoo.call("lead.distribution.pool", "unlink", [world["pool"]])
    assert odoo.call("lead.distribution.pool", "search", [("id", "=", world["pool"])])
