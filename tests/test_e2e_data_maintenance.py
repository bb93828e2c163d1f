"""Data-maintenance incentives over the external API (XML-RPC on 18.0, JSON-2 on 19.0), as an
integrator sees them (issue 4)."""

import uuid

import pytest
from odoo_rpc import RpcError


@pytest.fixture(scope="module")
def sales_users(odoo):
    """Two salespeople with passwords, in a team whose data steward is the second."""
    group = odoo.call(
        "ir.model.data",
        "search_read",
        [["module", "=", "sales_team"], ["name", "=", "group_sale_salesman"]],
        fields=["res_id"],
    )[0]["res_id"]
    suffix = uuid.uuid4().hex[:6]
    users = []
    for name in ("maint_a", "maint_b"):
        login = f"{name}_{suffix}"
        uid = odoo.call(
            "res.users",
            "create",
            {
                "name": login,
                "login": login,
                "password": login + "_pw",
                odoo.groups_field: [(4, group)],
            },
        )
        users.append((uid, odoo.as_user(login, login + "_pw")))
    team = odoo.call(
        "crm.team",
        "create",
        {
            "name": f"E2E maintenance {suffix}",
            "data_steward_id": users[1][0],
            "crm_team_member_ids": [(0, 0, {"user_id": uid}) for uid, _client in users],
        },
    )
    return users, team


def _acts(client, lead_id):
    return client.call(
        "lead.data.maintenance",
        "search_read",
        [["res_model", "=", "crm.lead"], ["res_id", "=", lead_id]],
        fields=["user_id", "field_name", "kind", "points"],
        order="id",
    )


def test_writes_and_verification_are_credited(odoo, sales_users):
    (uid_a, user_a), (uid_b, _user_b) = sales_users[0]
    # a's lead, its data last verified long ago: due for verification
    lead_id = odoo.call(
        "crm.lead",
        "create",
        {"name": "E2E maintained lead", "user_id": uid_a, "data_verified_date": "2020-01-02"},
    )
    assert _acts(odoo, lead_id) == []  # creation earns nothing

    user_a.call("crm.lead", "write", [lead_id], {"city": "Köln", "phone": "+49 221 555"})
    user_a.call("crm.lead", "write", [lead_id], {"city": "Bonn"})  # same day: no second act
    user_a.call("crm.lead", "action_mark_data_verified", [lead_id])

    acts = _acts(user_a, lead_id)
    assert sorted((a["field_name"], a["kind"]) for a in acts) == [
        ("city", "completed"),
        ("data_verified_date", "verified"),
        ("phone", "completed"),
    ]
    assert {a["user_id"][0] for a in acts} == {uid_a}
    company = odoo.call("res.users", "read", [uid_a], ["company_id"])[0]["company_id"][0]
    points = odoo.call(
        "res.company",
        "read",
        [company],
        ["data_maintenance_points_completed", "data_maintenance_points_verified"],
    )[0]
    assert sum(a["points"] for a in acts) == (
        2 * points["data_maintenance_points_completed"] + points["data_maintenance_points_verified"]
    )
    lead = odoo.call("crm.lead", "read", [lead_id], ["data_verified_date", "data_steward_id"])[0]
    assert lead["data_verified_date"]


def test_no_credit_for_verifying_fresh_data_whatever_the_context(odoo, sales_users):
    (uid_a, user_a), (_uid_b, _user_b) = sales_users[0]
    lead_ids = odoo.call(
        "crm.lead",
        "create",
        [{"name": f"E2E fresh lead {i}", "user_id": uid_a} for i in range(20)],
    )
    # every context key the credit code reads, set the way that could help the client
    context = {
        "lead_data_maintenance_skip": False,
        "install_mode": False,
        "import_file": False,
        "cron_id": False,
        "ir_cron_progress_id": False,
        "tz": "Pacific/Kiritimati",
    }
    result = user_a.call("crm.lead", "action_mark_data_verified", lead_ids, context=context)
    assert result["tag"] == "display_notification"
    acts = odoo.call(
        "lead.data.maintenance",
        "search_count",
        [["res_model", "=", "crm.lead"], ["res_id", "in", lead_ids]],
    )
    assert acts == 0


def test_users_cannot_award_themselves_points(odoo, sales_users):
    (uid_a, user_a), (_uid_b, user_b) = sales_users[0]
    lead_id = odoo.call("crm.lead", "create", {"name": "E2E no self award", "user_id": uid_a})
    with pytest.raises(RpcError):
        user_a.call(
            "lead.data.maintenance",
            "create",
            {
                "user_id": uid_a,
                "res_model": "crm.lead",
                "res_id": lead_id,
                "field_name": "city",
                "kind": "corrected",
                "points": 1000,
            },
        )
    user_a.call("crm.lead", "write", [lead_id], {"zip": "50667"})
    act_ids = [a["id"] for a in _acts(odoo, lead_id)]
    assert act_ids
    with pytest.raises(RpcError):
        user_a.call("lead.data.maintenance", "write", act_ids, {"points": 1000})
    with pytest.raises(RpcError):
        user_a.call("lead.data.maintenance", "unlink", act_ids)
    # the other salesperson does not see these acts, the manager (admin) does
    assert user_b.call("lead.data.maintenance", "search", [["id", "in", act_ids]]) == []
    assert odoo.call("lead.data.maintenance", "search", [["id", "in", act_ids]]) == act_ids


def test_steward_and_scoreboard(odoo, sales_users):
    users, team = sales_users
    (uid_a, user_a), (uid_b, user_b) = users
    lead_id = odoo.call("crm.lead", "create", {"name": "E2E steward", "team_id": team})
    lead = odoo.call("crm.lead", "read", [lead_id], ["data_steward_id"])[0]
    assert lead["data_steward_id"][0] == uid_b
    board = user_a.call(
        "lead.maintenance.scoreboard",
        "search_read",
        [],
        fields=["user_id", "points", "leads_received", "is_free_rider", "period"],
    )
    assert board and {row["user_id"][0] for row in board} == {uid_a}
    assert sum(row["points"] for row in board) > 0
    assert sum(row["leads_received"] for row in board) >= 2
    # b receives five leads and maintains nothing: below half of the team median
    odoo.call(
        "crm.lead",
        "create",
        [{"name": f"E2E lead for b {i}", "user_id": uid_b, "team_id": team} for i in range(5)],
    )
    rows = odoo.call(
        "lead.maintenance.scoreboard",
        "search_read",
        [["team_id", "=", team]],
        fields=["user_id", "points", "leads_received", "is_free_rider"],
    )
    flags = {row["user_id"][0]: row["is_free_rider"] for row in rows}
    assert flags == {uid_a: False, uid_b: True}
    free = odoo.call(
        "lead.maintenance.scoreboard",
        "search",
        [["is_free_rider", "=", True], ["team_id", "=", team]],
    )
    assert len(free) == 1
    assert user_b.call("lead.maintenance.scoreboard", "search_read", [], fields=["user_id"])


def test_bad_settings_are_refused(odoo):
    company = odoo.call("res.company", "search", [], limit=1)
    for vals in (
        {"data_maintenance_points_corrected": -3},
        {"data_maintenance_free_rider_share": 120},
    ):
        with pytest.raises(RpcError, match="data-maintenance points|free-rider"):
            odoo.call("res.company", "write", company, vals)
    values = odoo.call(
        "res.company",
        "read",
        company,
        ["data_maintenance_points_corrected", "data_maintenance_free_rider_share"],
    )[0]
    assert values["data_maintenance_points_corrected"] >= 0
    assert 0 <= values["data_maintenance_free_rider_share"] <= 100
