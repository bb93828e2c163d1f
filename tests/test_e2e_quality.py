"""lead_quality over the external API (XML-RPC on 18.0, JSON-2 on 19.0): media ranks, the lead's
quality fields, sales feedback, report."""

import uuid

import pytest
from odoo_rpc import RpcError


def _ref(odoo, xmlid):
    module, name = xmlid.split(".")
    rows = odoo.call(
        "ir.model.data",
        "search_read",
        [["module", "=", module], ["name", "=", name]],
        fields=["res_id"],
    )
    assert rows, xmlid
    return rows[0]["res_id"]


@pytest.fixture
def tag():
    return uuid.uuid4().hex[:8]


def test_default_media_ranking(odoo):
    media = odoo.call(
        "utm.medium",
        "search_read",
        [["quality_rank", ">", 0]],
        fields=["name", "quality_rank", "min_completeness", "lead_required_field_ids"],
    )
    ranks = {m["name"]: m["quality_rank"] for m in media}
    assert ranks["Phone"] == 1
    assert ranks["Email"] == 2
    assert ranks["Event / Seminar"] == 3
    assert ranks["Trade Fair"] == 4
    assert ranks["Website"] == 5
    assert ranks["Banner"] == 6
    assert all(m["lead_required_field_ids"] for m in media)
    overrides = odoo.call(
        "lead.quality.rank",
        "search_read",
        [["offer_type", "=", "complex"]],
        fields=["medium_id", "rank"],
    )
    by_name = {o["medium_id"][1]: o["rank"] for o in overrides}
    assert by_name["Event / Seminar"] == 1
    assert by_name["Phone"] == 3


def test_lead_quality_fields_and_feedback(odoo, tag):
    phone = _ref(odoo, "utm.utm_medium_phone")
    banner = _ref(odoo, "utm.utm_medium_banner")
    lead_ids = odoo.call(
        "crm.lead",
        "create",
        [
            {
                "name": f"e2e complete {tag}",
                "type": "lead",
                "medium_id": phone,
                "contact_name": "Anna Berg",
                "partner_name": "Berg IT",
                "function": "CIO",
                "phone": "+49 30 1234567",
                "email_from": f"anna.{tag}@example.com",
                "description": "<p>needs seats</p>",
            },
            {"name": f"e2e empty {tag}", "type": "lead", "medium_id": banner},
        ],
    )
    fields = [
        "quality_rank",
        "data_completeness",
        "quality_score",
        "quality_grade",
        "is_distribution_ready",
        "touch_medium_ids",
        "offer_type",
    ]
    full, empty = odoo.call("crm.lead", "read", lead_ids, fields=fields)
    assert (full["quality_rank"], full["data_completeness"]) == (1, 100)
    assert full["quality_grade"] == "A" and full["is_distribution_ready"] is True
    assert full["touch_medium_ids"] == [phone]
    assert full["offer_type"] == "standard"
    assert empty["data_completeness"] == 0
    assert empty["quality_grade"] == "D" and empty["is_distribution_ready"] is False
    # searchable
    ready = odoo.call(
        "crm.lead", "search", [["id", "in", lead_ids], ["is_distribution_ready", "=", True]]
    )
    assert ready == [lead_ids[0]]
    # complex offer: telemarketing only rank 3
    odoo.call("crm.lead", "write", [lead_ids[0]], {"offer_type": "complex"})
    assert (
        odoo.call("crm.lead", "read", [lead_ids[0]], fields=["quality_rank"])[0]["quality_rank"]
        == 3
    )

    reason = _ref(odoo, "lead_quality.reject_reason_bad_data")
    odoo.call("crm.lead", "action_quality_accept", [lead_ids[0]])
    odoo.call("crm.lead", "action_quality_reject", [lead_ids[1]], reason, note="no data at all")
    feedback = odoo.call(
        "lead.quality.feedback",
        "search_read",
        [["lead_id", "in", lead_ids]],
        fields=["lead_id", "verdict", "reason_id", "note"],
    )
    verdicts = {
        f["lead_id"][0]: (f["verdict"], f["reason_id"] and f["reason_id"][0]) for f in feedback
    }
    assert verdicts == {lead_ids[0]: ("accepted", False), lead_ids[1]: ("rejected", reason)}
    states = odoo.call("crm.lead", "read", lead_ids, fields=["quality_feedback_state"])
    assert [s["quality_feedback_state"] for s in states] == ["accepted", "rejected"]


def test_bad_input_is_refused(odoo, tag):
    medium = odoo.call("utm.medium", "create", {"name": f"e2e medium {tag}", "quality_rank": 2})
    with pytest.raises(RpcError, match="negative"):
        odoo.call("utm.medium", "write", [medium], {"quality_rank": -1})
    with pytest.raises(RpcError, match="between 0 and 100"):
        odoo.call("utm.medium", "write", [medium], {"min_completeness": 150})
    assert odoo.call("utm.medium", "read", [medium], fields=["quality_rank", "min_completeness"])[
        0
    ] == {"id": medium, "quality_rank": 2, "min_completeness": 60}
    partner_field = odoo.call(
        "ir.model.fields", "search", [["model", "=", "res.partner"], ["name", "=", "email"]]
    )
    with pytest.raises(RpcError, match="crm.lead"):
        odoo.call(
            "utm.medium", "write", [medium], {"lead_required_field_ids": [(6, 0, partner_field)]}
        )
    with pytest.raises(RpcError, match="rejection reason"):
        lead = odoo.call("crm.lead", "create", {"name": f"e2e lead {tag}"})
        odoo.call("crm.lead", "action_quality_reject", [lead], False)
    company = odoo.call("res.users", "read", [odoo.uid], fields=["company_id"])[0]["company_id"][0]
    with pytest.raises(RpcError, match="in order"):
        odoo.call("res.company", "write", [company], {"lead_quality_threshold_b": 90})


def test_report_and_rank_change(odoo, tag):
    medium = odoo.call("utm.medium", "create", {"name": f"e2e report {tag}", "quality_rank": 4})
    lead_ids = odoo.call(
        "crm.lead",
        "create",
        [{"name": f"e2e r{i} {tag}", "type": "opportunity", "medium_id": medium} for i in range(4)],
    )
    odoo.call("crm.lead", "action_quality_accept", lead_ids[:3])
    rows = odoo.call(
        "lead.quality.medium.report",
        "search_read",
        [["medium_id", "=", medium]],
        fields=["declared_rank", "lead_count", "acceptance_rate", "conversion_rate"],
    )
    assert len(rows) == 1
    row = rows[0]
    assert (row["declared_rank"], row["lead_count"]) == (4, 4)
    assert row["acceptance_rate"] == pytest.approx(100.0)
    assert row["conversion_rate"] == pytest.approx(100.0)
    # a rank change re-scores the medium's leads
    before = odoo.call("crm.lead", "read", lead_ids, fields=["quality_score"])
    odoo.call("utm.medium", "write", [medium], {"quality_rank": 1})
    after = odoo.call("crm.lead", "read", lead_ids, fields=["quality_rank", "quality_score"])
    assert {a["quality_rank"] for a in after} == {1}
    assert all(a["quality_score"] > b["quality_score"] for a, b in zip(after, before, strict=False))


def test_salesperson_reads_own_lead_of_a_medium_with_required_fields(odoo, tag):
    """A salesperson with "Own documents only" reads every field of their own Website lead
    (the missing information of the medium included) and the medium itself."""
    group = _ref(odoo, "sales_team.group_sale_salesman")
    login = f"e2e_quality_seller_{tag}"
    uid = odoo.call(
        "res.users",
        "create",
        {
            "name": f"Seller {tag}",
            "login": login,
            "password": login,
            odoo.groups_field: [(6, 0, [group])],
        },
    )
    seller = odoo.as_user(login, login)
    website = _ref(odoo, "utm.utm_medium_website")
    lead = odoo.call(
        "crm.lead",
        "create",
        {
            "name": f"e2e own website lead {tag}",
            "type": "lead",
            "medium_id": website,
            "contact_name": "Wanda Web",
            "user_id": uid,
        },
    )
    [values] = seller.call("crm.lead", "read", [lead])
    assert values["id"] == lead
    assert values["quality_missing_fields"] == "Email"
    assert values["data_completeness"] == 50
    [medium] = seller.call("utm.medium", "read", [website])
    assert medium["lead_required_field_names"] == "Contact Name, Email"
    assert "lead_required_field_ids" not in medium
