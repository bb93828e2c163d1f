"""End-to-end: a scheduled distribution killed in the middle loses nothing and assigns nothing
twice when the next run goes on (the run commits chunk by chunk)."""

import os
import signal
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "tools"))

import harness

LEADS = 30
CHUNK = 5

# run by `odoo shell` on the test database: the scheduled action, with a pause after every
# chunk so that the test can kill the process between two chunks or in the middle of one
SLOW_CRON = """
import time
Pool = type(env["lead.distribution.pool"])
distribute = Pool._distribute
def slow(self, *args, **kwargs):
    done = distribute(self, *args, **kwargs)
    print("chunk distributed, not committed yet", flush=True)
    time.sleep(1.5)
    return done
Pool._distribute = slow
env["lead.distribution.pool"]._cron_distribute()
print("run finished", flush=True)
"""


def _committed_decisions(db, tag):
    return harness.query(
        db,
        "SELECT count(*), count(DISTINCT lead_id) FROM lead_distribution_log l "
        "JOIN lead_distribution_pool p ON p.id = l.pool_id WHERE p.name->>'en_US' = %s",
        (f"Resume pool {tag}",),
    )[0]


def test_killed_run_resumes_without_loss_or_double_assignment(odoo):
    tag = uuid.uuid4().hex[:6]
    salesman = odoo.call(
        "ir.model.data", "check_object_reference", "sales_team", "group_sale_salesman"
    )[1]
    users = [
        odoo.call(
            "res.users",
            "create",
            {
                "name": f"Resume seller {i} {tag}",
                "login": f"resume_{i}_{tag}",
                odoo.groups_field: [(6, 0, [salesman])],
            },
        )
        for i in range(3)
    ]
    team = odoo.call("crm.team", "create", {"name": f"Resume team {tag}"})
    odoo.call(
        "lead.distribution.pool",
        "create",
        {
            "name": f"Resume pool {tag}",
            "team_ids": [(6, 0, [team])],
            "min_grade": False,
            "require_ready": False,
            "mode": "scheduled",
            "member_ids": [(0, 0, {"channel": "direct", "user_id": uid}) for uid in users],
        },
    )
    lead_ids = odoo.call(
        "crm.lead",
        "create",
        [
            {"name": f"Resume lead {i} {tag}", "type": "lead", "team_id": team, "user_id": False}
            for i in range(LEADS)
        ],
    )
    odoo.call("ir.config_parameter", "set_param", "lead_distribution.chunk_size", str(CHUNK))

    # the first run, killed once two chunks are committed
    cmd = harness.odoo_command(odoo.db, "--no-http", "--log-level=warn")
    cmd.insert(3, "shell")  # python -m odoo shell --addons-path=...
    run = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    run.stdin.write(SLOW_CRON)
    run.stdin.close()
    deadline = time.time() + 180
    while time.time() < deadline and _committed_decisions(odoo.db, tag)[0] < 2 * CHUNK:
        assert run.poll() is None, run.stdout.read()
        time.sleep(0.2)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    committed, distinct = _committed_decisions(odoo.db, tag)
    assert 2 * CHUNK <= committed < LEADS, committed
    assert committed == distinct
    assert committed % CHUNK == 0, "a chunk is committed whole or not at all"

    # the next run goes on with what is still pending
    cron = odoo.call(
        "ir.model.data",
        "check_object_reference",
        "lead_distribution",
        "ir_cron_lead_distribution_distribute",
    )[1]
    odoo.call("ir.cron", "method_direct_trigger", [cron])
    committed, distinct = _committed_decisions(odoo.db, tag)
    assert (committed, distinct) == (LEADS, LEADS), "every lead distributed exactly once"
    leads = odoo.call("crm.lead", "read", lead_ids, ["user_id", "distribution_state"])
    assert {lead["distribution_state"] for lead in leads} == {"assigned"}
    per_user = {}
    for lead in leads:
        per_user[lead["user_id"][0]] = per_user.get(lead["user_id"][0], 0) + 1
    assert sorted(per_user.values()) == [LEADS // 3] * 3, per_user
