"""End-to-end over the external API (XML-RPC on 18.0, JSON-2 on 19.0): "followed up in time" of the
success report and the recycling of the distribution are one rule. A salesperson's note on their own
distributed lead counts, a note by someone else does not; before the deadline the lead reads n/a;
once the deadline has passed, the scheduled recycling takes back exactly the leads the report does
not count as followed up."""

import uuid

import pytest


def _ids(result):
    return result if isinstance(result, list) else [result]


@pytest.fixture(scope="module")
def world(odoo):
    tag = uuid.uuid4().hex[:6]
    salesman_group = odoo.call(
        "ir.model.data", "check_object_reference", "sales_team", "group_sale_salesman"
    )[1]
    logins = [f"e2e_follow_{i}_{tag}" for i in range(2)]
    sellers = [
        odoo.call(
            "res.users",
            "create",
            {
                "name": f"E2E Follow {i} {tag}",
                "login": login,
                "password": login,
                "email": f"{login}@example.com",
                odoo.groups_field: [(6, 0, [salesman_group])],
            },
        )
        for i, login in enumerate(logins)
    ]
    team = odoo.call("crm.team", "create", {"name": f"E2E follow team {tag}"})
    pool = odoo.call(
        "lead.distribution.pool",
        "create",
        {
            "name": f"E2E follow pool {tag}",
            "team_ids": [(6, 0, [team])],
            "min_grade": False,
            "require_ready": False,
            "member_ids": [(0, 0, {"channel": "direct", "user_id": user}) for user in sellers],
        },
    )
    leads = _ids(
        odoo.call(
            "crm.lead",
            "create",
            [
                {
                    "name": f"E2E follow lead {i} {tag}",
                    "type": "lead",
                    "team_id": team,
                    "user_id": False,
                }
                for i in range(3)
            ],
        )
    )
    odoo.call("lead.distribution.pool", "action_distribute", [pool])
    owners = {
        row["id"]: row["user_id"][0]
        for row in odoo.call("crm.lead", "read", leads, ["user_id"])
        if row["user_id"]
    }
    assert set(owners) == set(leads)
    assert set(owners.values()) <= set(sellers)
    clients = {
        user: odoo.as_user(login, login) for user, login in zip(sellers, logins, strict=True)
    }
    return {"leads": leads, "owners": owners, "clients": clients}


def _report(odoo, leads):
    rows = odoo.call(
        "lead.activity.success.report",
        "search_read",
        [["lead_id", "in", leads]],
        fields=["lead_id", "followed_up_count", "followup_due_count"],
        context={"active_test": False},
    )
    return {
        row["lead_id"][0]: (row["followed_up_count"], row["followup_due_count"]) for row in rows
    }


def test_report_and_recycling_agree(odoo, world):
    worked, noted_by_admin, silent = world["leads"]
    owner = world["owners"][worked]
    world["clients"][owner].call(
        "crm.lead",
        "message_post",
        [worked],
        body="Called the customer",
        message_type="comment",
        subtype_xmlid="mail.mt_note",
    )
    # a note by someone else (the administrator) is not the salesperson's follow-up
    odoo.call(
        "crm.lead",
        "message_post",
        [noted_by_admin],
        body="Please call them",
        message_type="comment",
        subtype_xmlid="mail.mt_note",
    )
    # before the deadline: followed up in time already, or n/a (not due)
    assert _report(odoo, world["leads"]) == {worked: (1, 1), noted_by_admin: (0, 0), silent: (0, 0)}
    # the deadline passes (a sales manager may correct the distribution's record)
    odoo.call(
        "crm.lead",
        "write",
        world["leads"],
        {"distribution_followup_deadline": "2020-01-01 00:00:00"},
    )
    assert _report(odoo, world["leads"]) == {worked: (1, 1), noted_by_admin: (0, 1), silent: (0, 1)}
    cron = odoo.call(
        "ir.model.data",
        "check_object_reference",
        "lead_distribution",
        "ir_cron_lead_distribution_recycle",
    )[1]
    odoo.call("ir.cron", "method_direct_trigger", [cron])
    logs = odoo.call(
        "lead.distribution.log",
        "search_read",
        [["lead_id", "in", world["leads"]], ["event", "=", "recycled"]],
        fields=["lead_id"],
    )
    assert {log["lead_id"][0] for log in logs} == {noted_by_admin, silent}
    # the lead followed up keeps its salesperson
    [row] = odoo.call("crm.lead", "read", [worked], ["user_id", "distribution_state"])
    assert (row["user_id"][0], row["distribution_state"]) == (owner, "assigned")
