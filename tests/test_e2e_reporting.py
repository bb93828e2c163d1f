"""Funnel planning, plan versus actual, success criteria and reports over
the external API, as an integrator sees them (issue 6)."""

import datetime
import http.cookiejar
import json
import urllib.request
import uuid

import pytest
from odoo_rpc import RpcError


def _date(days=0):
    today = datetime.datetime.now(datetime.UTC).date()
    return (today + datetime.timedelta(days=days)).isoformat()


def _xmlid(odoo, xmlid):
    module, name = xmlid.split(".")
    [row] = odoo.call(
        "ir.model.data", "search_read", [["module", "=", module], ["name", "=", name]], ["res_id"]
    )
    return row["res_id"]


@pytest.fixture(scope="module")
def world(odoo):
    """Two teams, a medium, a salesperson, a won stage; history for team A."""
    suffix = uuid.uuid4().hex[:6]
    salesman_group = _xmlid(odoo, "sales_team.group_sale_salesman")
    login = f"report_sales_{suffix}"
    salesman = odoo.call(
        "res.users",
        "create",
        {
            "name": login,
            "login": login,
            "password": login + "_pw",
            odoo.groups_field: [(4, salesman_group)],
        },
    )
    team_a = odoo.call("crm.team", "create", {"name": f"E2E plan A {suffix}"})
    team_b = odoo.call(
        "crm.team",
        "create",
        {"name": f"E2E plan B {suffix}", "crm_team_member_ids": [(0, 0, {"user_id": salesman})]},
    )
    medium = odoo.call("utm.medium", "create", {"name": f"E2E medium {suffix}"})
    won_stage = odoo.call("crm.stage", "search", [["is_won", "=", True]], limit=1)[0]
    open_stage = odoo.call("crm.stage", "search", [["is_won", "=", False]], limit=1)[0]

    def leads(team, won=0, lost=0, open_opps=0, plain=0, revenue=0.0, campaign=False):
        vals = []
        vals += [{"type": "opportunity", "stage_id": won_stage, "expected_revenue": revenue}] * won
        vals += [{"type": "opportunity", "active": False, "probability": 0}] * lost
        vals += [{"type": "opportunity", "stage_id": open_stage}] * open_opps
        vals += [{"type": "lead"}] * plain
        return odoo.call(
            "crm.lead",
            "create",
            [
                {
                    "name": f"E2E lead {i}",
                    "team_id": team,
                    "medium_id": medium,
                    "campaign_id": campaign,
                    **v,
                }
                for i, v in enumerate(vals)
            ],
        )

    # history of team A: 10 leads, 4 opportunities, 2 won at 10,000, 1 lost
    leads(team_a, won=2, lost=1, open_opps=1, plain=6, revenue=10000.0)
    return {
        "suffix": suffix,
        "team_a": team_a,
        "team_b": team_b,
        "medium": medium,
        "salesman": salesman,
        "salesman_client": odoo.as_user(login, login + "_pw"),
        "leads": leads,
    }


def _plan(odoo, world, **vals):
    values = {
        "name": f"E2E plan {uuid.uuid4().hex[:4]}",
        "team_id": world["team_a"],
        "date_from": _date(1),
        "date_to": _date(90),
        "revenue_target": 100000.0,
        "line_ids": [(0, 0, {"medium_id": world["medium"], "planned_leads": 30})],
    }
    values.update(vals)
    return odoo.call("lead.funnel.plan", "create", values)


def _read(odoo, plan_id, fields):
    return odoo.call("lead.funnel.plan", "read", [plan_id], fields)[0]


def test_history_defaults_required_leads_and_feasibility(odoo, world):
    plan_id = _plan(odoo, world)
    plan = _read(
        odoo,
        plan_id,
        [
            "average_deal_value",
            "conversion_lead_opportunity",
            "conversion_opportunity_won",
            "required_leads",
            "planned_revenue",
            "gap",
            "is_feasible",
            "state",
        ],
    )
    assert plan["average_deal_value"] == pytest.approx(10000.0)
    assert plan["conversion_lead_opportunity"] == pytest.approx(40.0)
    assert plan["conversion_opportunity_won"] == pytest.approx(200 / 3)
    # 100,000 / (10,000 x 40 % x 66.7 %) = 37.5 -> 38 leads
    assert plan["required_leads"] == 38
    # 30 leads x 26.67 % x 10,000 = 80,000: 20,000 short
    assert plan["planned_revenue"] == pytest.approx(80000.0)
    assert plan["gap"] == pytest.approx(20000.0)
    assert plan["is_feasible"] is False

    with pytest.raises(RpcError, match="cannot reach its revenue target"):
        odoo.call("lead.funnel.plan", "action_confirm", [plan_id])
    assert _read(odoo, plan_id, ["state"])["state"] == "draft"
    odoo.call("lead.funnel.plan", "action_confirm", [plan_id], reason="Fair in month two")
    assert _read(odoo, plan_id, ["state", "confirm_reason"]) == {
        "id": plan_id,
        "state": "confirmed",
        "confirm_reason": "Fair in month two",
    }

    # replan: the figures are kept, another cycle starts
    odoo.call("lead.funnel.plan", "action_replan", [plan_id], "Gap of 20,000")
    plan = _read(odoo, plan_id, ["state", "cycle", "cycle_ids"])
    assert (plan["state"], plan["cycle"]) == ("replanning", 2)
    [cycle] = odoo.call(
        "lead.funnel.plan.cycle",
        "read",
        plan["cycle_ids"],
        ["required_leads", "planned_revenue", "gap", "reason"],
    )
    assert cycle["required_leads"] == 38
    assert cycle["planned_revenue"] == pytest.approx(80000.0)
    assert cycle["reason"] == "Gap of 20,000"


def test_bad_input_is_refused(odoo, world):
    with pytest.raises(RpcError, match="greater than zero"):
        _plan(odoo, world, revenue_target=0)
    with pytest.raises(RpcError, match="ends before it starts"):
        _plan(odoo, world, date_from=_date(10), date_to=_date(5))
    with pytest.raises(RpcError, match="between 0 and 100"):
        _plan(odoo, world, conversion_lead_opportunity=150)
    first = _plan(
        odoo,
        world,
        team_id=world["team_b"],
        date_from=_date(200),
        date_to=_date(230),
        average_deal_value=1000,
        conversion_lead_opportunity=50,
        conversion_opportunity_won=50,
    )
    odoo.call("lead.funnel.plan", "action_confirm", [first], reason="e2e")
    second = _plan(
        odoo,
        world,
        team_id=world["team_b"],
        date_from=_date(220),
        date_to=_date(260),
        average_deal_value=1000,
        conversion_lead_opportunity=50,
        conversion_opportunity_won=50,
    )
    with pytest.raises(RpcError, match="overlaps"):
        odoo.call("lead.funnel.plan", "action_confirm", [second], reason="e2e")
    assert _read(odoo, second, ["state"])["state"] == "draft"


@pytest.fixture(scope="module")
def running_plan(odoo, world):
    """Team B: a plan that started ten days ago, with 5 actual leads."""
    recipient = odoo.call(
        "res.partner", "create", {"name": "E2E board", "email": "board@example.com"}
    )
    plan_id = _plan(
        odoo,
        world,
        team_id=world["team_b"],
        date_from=_date(-10),
        date_to=_date(30),
        revenue_target=50000.0,
        average_deal_value=5000.0,
        conversion_lead_opportunity=50.0,
        conversion_opportunity_won=50.0,
        line_ids=[(0, 0, {"medium_id": world["medium"], "planned_leads": 40})],
        kpi_lead_target=10,
        kpi_opportunity_target=2,
        report_frequency="weekly",
        report_recipient_ids=[(6, 0, [recipient])],
    )
    world["leads"](world["team_b"], won=1, open_opps=1, plain=3, revenue=7000.0)
    odoo.call("lead.funnel.plan", "action_confirm", [plan_id])
    return plan_id


def test_plan_versus_actual(odoo, running_plan):
    data = odoo.call("lead.funnel.plan", "get_plan_vs_actual", [running_plan])
    assert data["plan"]["required_leads"] == 40  # 50,000 / (5,000 x 25 %)
    assert data["plan"]["is_feasible"] is True
    actual = data["actual"]
    assert (actual["leads"], actual["opportunities"], actual["won"]) == (5, 2, 1)
    assert actual["won_revenue"] == pytest.approx(7000.0)
    assert actual["conversion_lead_opportunity"] == pytest.approx(40.0)
    assert data["deviation"]["leads"] == pytest.approx(-87.5)
    [line] = data["lines"]
    assert line["planned_leads"] == 40 and line["leads"] == 5
    criteria = {c["key"]: c for c in data["criteria"]}
    assert criteria["leads"]["attainment"] == pytest.approx(50.0)
    assert criteria["leads"]["met"] is False
    assert criteria["opportunities"]["met"] is True
    # the SQL view answers the same per medium, with ratios of sums
    rows = odoo.call(
        "lead.funnel.report",
        "read_group",
        [["plan_id", "=", running_plan]],
        ["lead_count:sum", "planned_leads:sum", "conversion_lead_opportunity:avg"],
        ["medium_id"],
    )
    assert len(rows) == 1
    assert rows[0]["lead_count"] == 5
    assert rows[0]["planned_leads"] == pytest.approx(40.0)
    assert rows[0]["conversion_lead_opportunity"] == pytest.approx(40.0)


def test_success_criteria_need_a_logged_revision(odoo, running_plan):
    with pytest.raises(RpcError, match="fixed since the start"):
        odoo.call("lead.funnel.plan", "write", [running_plan], {"kpi_lead_target": 99})
    with pytest.raises(RpcError, match="needs a reason"):
        odoo.call(
            "lead.funnel.plan", "action_revise_kpi", [running_plan], {"kpi_lead_target": 8}, ""
        )
    odoo.call(
        "lead.funnel.plan",
        "action_revise_kpi",
        [running_plan],
        {"kpi_lead_target": 8},
        "Smaller fair",
    )
    [revision] = odoo.call(
        "lead.kpi.revision",
        "search_read",
        [["res_model", "=", "lead.funnel.plan"], ["res_id", "=", running_plan]],
        ["field_name", "old_value", "new_value", "reason"],
    )
    assert (revision["old_value"], revision["new_value"], revision["reason"]) == (
        "10",
        "8",
        "Smaller fair",
    )


def test_digest_cron_mails_the_recipients(odoo, running_plan):
    cron = _xmlid(odoo, "lead_reporting.ir_cron_funnel_digest")
    odoo.call("ir.cron", "method_direct_trigger", [cron])
    mails = odoo.call(
        "mail.mail",
        "search_read",
        [["model", "=", "lead.funnel.plan"], ["res_id", "=", running_plan]],
        ["subject", "body_html"],
    )
    if not mails:  # already sent out by the mail queue: read the message
        mails = odoo.call(
            "mail.message",
            "search_read",
            [
                ["model", "=", "lead.funnel.plan"],
                ["res_id", "=", running_plan],
                ["subject", "like", "Plan versus actual"],
            ],
            ["subject", "body"],
        )
        for mail in mails:
            mail["body_html"] = mail["body"]
    assert len(mails) == 1
    assert mails[0]["subject"].startswith("Plan versus actual")
    assert "-87.5 %" in mails[0]["body_html"]
    assert "Not met" in mails[0]["body_html"]
    # weekly: the second run the same day sends nothing
    odoo.call("ir.cron", "method_direct_trigger", [cron])
    count = odoo.call(
        "mail.message",
        "search_count",
        [
            ["model", "=", "lead.funnel.plan"],
            ["res_id", "=", running_plan],
            ["subject", "like", "Plan versus actual"],
        ],
    )
    assert count == 1


def test_salespeople_read_but_do_not_confirm(odoo, world, running_plan):
    client = world["salesman_client"]
    assert client.call("lead.funnel.plan", "search", [["id", "=", running_plan]]) == [running_plan]
    data = client.call("lead.funnel.plan", "get_plan_vs_actual", [running_plan])
    assert data["actual"]["leads"] == 5
    draft = _plan(
        odoo,
        world,
        team_id=world["team_b"],
        date_from=_date(400),
        date_to=_date(430),
        average_deal_value=1000,
        conversion_lead_opportunity=50,
        conversion_opportunity_won=50,
    )
    with pytest.raises(RpcError, match="Only CRM managers"):
        client.call("lead.funnel.plan", "action_confirm", [draft], reason="x")
    with pytest.raises(RpcError):
        client.call(
            "lead.marketing.quota",
            "create",
            {
                "name": "x",
                "user_id": world["salesman"],
                "date_from": _date(0),
                "date_to": _date(5),
                "target": 3,
            },
        )


def test_campaign_roi_and_marketing_quota(odoo, world):
    campaign = odoo.call(
        "utm.campaign",
        "create",
        {
            "title": f"E2E campaign {world['suffix']}",
            "campaign_cost": 900.0,
            "user_id": world["salesman"],
        },
    )
    world["leads"](world["team_a"], won=1, plain=2, revenue=4500.0, campaign=campaign)
    kpis = odoo.call("utm.campaign", "get_campaign_kpis", [campaign])
    assert kpis["actual"]["leads"] == 3
    assert kpis["roi"]["cost_per_lead"] == pytest.approx(300.0)
    assert kpis["roi"]["cost_per_won"] == pytest.approx(900.0)
    assert kpis["roi"]["revenue_per_cost"] == pytest.approx(5.0)
    quota = odoo.call(
        "lead.marketing.quota",
        "create",
        {
            "name": "E2E quota",
            "user_id": world["salesman"],
            "date_from": _date(-1),
            "date_to": _date(30),
            "target": 4,
            "qualification": "grade",
            "min_grade": "D",
        },
    )
    [row] = odoo.call("lead.marketing.quota", "read", [quota], ["actual", "attainment"])
    graded = odoo.call(
        "crm.lead", "search_count", [["campaign_id", "=", campaign], ["quality_grade", "!=", False]]
    )
    assert row["actual"] == graded
    assert row["attainment"] == pytest.approx(graded / 4 * 100)


def test_pdf_download(odoo, running_plan):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    payload = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": odoo.db, "login": odoo.login, "password": odoo.password},
        }
    ).encode()
    request = urllib.request.Request(
        f"{odoo.url}/web/session/authenticate", payload, {"Content-Type": "application/json"}
    )
    opener.open(request, timeout=60).read()
    wkhtml = odoo.call("ir.actions.report", "get_wkhtmltopdf_state")
    kind = "pdf" if wkhtml == "ok" else "html"
    url = f"{odoo.url}/report/{kind}/lead_reporting.report_funnel_plan/{running_plan}"
    body = opener.open(url, timeout=120).read()
    if kind == "pdf":
        assert body.startswith(b"%PDF")
    else:
        assert b"Funnel plan versus actual" in body
