"""End-to-end: distributions started at the same moment from two RPC clients and from the
cron, on a server like a production one (two HTTP worker processes, one cron worker),
assign every lead exactly once."""

import collections
import datetime
import threading
import time
import uuid

import pytest
from odoo_rpc import RpcError

LEADS = 150
EVENTS = ["assigned", "offered"]


def _set_nextcall(odoo, cron, when):
    """Move the cron's next call; wait while the cron worker runs it (the job is locked)."""
    deadline = time.time() + 120
    while True:
        try:
            return odoo.call("ir.cron", "write", [cron], {"nextcall": when})
        except RpcError as fault:
            if "currently being executed" not in fault.message or time.time() > deadline:
                raise
            time.sleep(1)


def _utc(**delta):
    moment = datetime.datetime.now(datetime.UTC) + datetime.timedelta(**delta)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


@pytest.fixture(scope="module")
def setup(odoo_workers):
    odoo = odoo_workers
    tag = uuid.uuid4().hex[:6]
    cron = odoo.call(
        "ir.model.data",
        "check_object_reference",
        "lead_distribution",
        "ir_cron_lead_distribution_distribute",
    )[1]
    # the job is due since the install: it must not run before the test starts it
    _set_nextcall(odoo, cron, _utc(days=1))
    # crm_iap_enrich (auto-installed with crm) triggers its enrichment job for every lead
    # created; the cron worker would run it at once and log an ERROR for each batch, this
    # machine having no access to Odoo's IAP service: leads are enriched on demand only here
    odoo.call("ir.config_parameter", "set_param", "crm.iap.lead.enrich.setting", "manual")
    groups = {
        name: odoo.call("ir.model.data", "check_object_reference", "sales_team", name)[1]
        for name in ("group_sale_salesman", "group_sale_manager")
    }
    sellers = odoo.call(
        "res.users",
        "create",
        [
            {
                "name": f"Concurrent Seller {i} {tag}",
                "login": f"conc_seller_{i}_{tag}",
                odoo.groups_field: [(6, 0, [groups["group_sale_salesman"]])],
            }
            for i in range(2)
        ],
    )
    manager_login = f"conc_manager_{tag}"
    odoo.call(
        "res.users",
        "create",
        {
            "name": f"Concurrent Manager {tag}",
            "login": manager_login,
            "password": manager_login,
            odoo.groups_field: [(6, 0, [groups["group_sale_manager"]])],
        },
    )
    partner = odoo.call(
        "res.partner",
        "create",
        {"name": f"Concurrent Partner {tag}", "is_company": True, "email": f"p{tag}@example.com"},
    )
    team = odoo.call("crm.team", "create", {"name": f"Concurrent team {tag}"})
    pool = odoo.call(
        "lead.distribution.pool",
        "create",
        {
            "name": f"Concurrent pool {tag}",
            "team_ids": [(6, 0, [team])],
            "mode": "scheduled",
            "min_grade": False,
            "require_ready": False,
            "member_ids": [
                (0, 0, {"channel": "direct", "user_id": sellers[0]}),
                (0, 0, {"channel": "direct", "user_id": sellers[1]}),
                (0, 0, {"channel": "partner", "partner_id": partner}),
            ],
        },
    )
    leads = odoo.call(
        "crm.lead",
        "create",
        [
            {"name": f"Concurrent lead {i} {tag}", "team_id": team, "user_id": False}
            for i in range(LEADS)
        ],
    )
    return {
        "pool": pool,
        "leads": leads,
        "cron": cron,
        "manager": odoo.as_user(manager_login, manager_login),
    }


def _cron_lastcall(odoo, cron):
    return odoo.call("ir.cron", "read", [cron], ["lastcall"])[0]["lastcall"]


def test_two_clients_and_the_cron_assign_every_lead_once(odoo_workers, setup):
    odoo = odoo_workers
    pending = odoo.call(
        "crm.lead", "search_count", [["id", "in", setup["leads"]], ["user_id", "=", False]]
    )
    assert pending == LEADS, "the scheduled pool distributes nothing before it is triggered"
    with open(odoo.log, encoding="utf-8") as log:
        log.seek(0, 2)
        log_start = log.tell()
    lastcall_before = _cron_lastcall(odoo, setup["cron"])
    barrier = threading.Barrier(3)
    results = {}

    def run(name, client, model, method, *args):
        # each thread its own connection (neither client is thread-safe)
        own = client.as_user(client.login, client.password)
        barrier.wait()
        try:
            results[name] = ("ok", own.call(model, method, *args))
        except RpcError as fault:
            results[name] = ("fault", fault.message[-2000:])

    threads = [
        threading.Thread(
            target=run,
            args=("admin", odoo, "lead.distribution.pool", "action_distribute", [setup["pool"]]),
        ),
        threading.Thread(
            target=run,
            args=(
                "manager",
                setup["manager"],
                "lead.distribution.pool",
                "action_distribute",
                [setup["pool"]],
            ),
        ),
        # the cron worker wakes up when the job's next call changes and runs it at once
        threading.Thread(
            target=run,
            args=(
                "cron",
                odoo,
                "ir.cron",
                "write",
                [setup["cron"]],
                {"nextcall": _utc(minutes=-1)},
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert {name: outcome for name, (outcome, _r) in results.items()} == {
        "admin": "ok",
        "manager": "ok",
        "cron": "ok",
    }, results
    deadline = time.time() + 120
    while _cron_lastcall(odoo, setup["cron"]) == lastcall_before and time.time() < deadline:
        time.sleep(1)
    assert _cron_lastcall(odoo, setup["cron"]) != lastcall_before, "the cron worker ran the job"

    logs = odoo.call(
        "lead.distribution.log",
        "search_read",
        [["lead_id", "in", setup["leads"]], ["event", "in", EVENTS]],
        fields=["lead_id", "member_id", "user_id", "partner_id", "trigger"],
    )
    # which run took how many (shown with the output of a failure)
    print("leads per trigger:", collections.Counter(row["trigger"] for row in logs))
    per_lead = collections.Counter(row["lead_id"][0] for row in logs)
    assert sorted(per_lead) == sorted(setup["leads"]), "every lead distributed"
    assert [lead for lead, count in per_lead.items() if count != 1] == [], "each lead once"
    leads = {
        lead["id"]: lead
        for lead in odoo.call(
            "crm.lead",
            "read",
            setup["leads"],
            ["user_id", "channel_partner_id", "distribution_member_id", "distribution_state"],
        )
    }
    for row in logs:
        lead = leads[row["lead_id"][0]]
        assert lead["distribution_member_id"] == row["member_id"], (lead, row)
        assert lead["user_id"] == row["user_id"], (lead, row)
        assert lead["channel_partner_id"] == row["partner_id"], (lead, row)
        assert lead["distribution_state"] in EVENTS, lead
    # the salesperson / partner of each lead was set once: no second change in its history
    tracked = odoo.call(
        "mail.tracking.value",
        "search_read",
        [
            ["mail_message_id.model", "=", "crm.lead"],
            ["mail_message_id.res_id", "in", setup["leads"]],
            ["field_id.name", "in", ["user_id", "channel_partner_id"]],
        ],
        fields=["mail_message_id", "field_id"],
    )
    messages = odoo.call(
        "mail.message",
        "read",
        sorted({value["mail_message_id"][0] for value in tracked}),
        ["res_id"],
    )
    lead_of = {message["id"]: message["res_id"] for message in messages}
    changes = collections.Counter(
        (lead_of[value["mail_message_id"][0]], value["field_id"][1]) for value in tracked
    )
    assert [key for key, count in changes.items() if count > 1] == []
    with open(odoo.log, encoding="utf-8") as log:
        log.seek(log_start)
        errors = [line for line in log if " ERROR " in line or " CRITICAL " in line]
    assert errors == [], "".join(errors[:20])
