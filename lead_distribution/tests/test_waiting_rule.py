# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from hypothesis import given
from hypothesis import strategies as st

from odoo.addons.lead_quality.tests.hypothesis_common import DB_EXAMPLES, rolled_back
from odoo.tests import tagged

from ..lib.distribution_state import is_waiting, waiting_domain
from ..models.crm_lead import DISTRIBUTION_STATES
from .common import DistributionCase

# a lead: its distribution state (none yet or any), whether a salesperson holds it, active
leads = st.lists(
    st.tuples(
        st.sampled_from([False, *(state for state, _label in DISTRIBUTION_STATES)]),
        st.booleans(),
        st.booleans(),
    ),
    min_size=1,
    max_size=14,
)


@tagged("post_install", "-at_install")
class TestWaitingRule(DistributionCase):
    """Which leads wait for distribution is ``lib/distribution_state.is_waiting``; the engine
    locks a batch with its SQL form (``waiting_sql_condition``), the pool searches and the
    "To Distribute" filter use its domain (``waiting_domain``), the form shows the field
    computed from it. On random leads, all of them select exactly the leads the rule says
    are waiting."""

    def _create(self, leads):
        """The leads, and for each one the (state, salesperson id, active) it was created
        with."""
        values = [
            (state, self.sales1.id if held else False, active) for state, held, active in leads
        ]
        vals_list = [
            {
                "name": f"Waiting rule {index}",
                "type": "lead",
                "team_id": self.team.id,
                "distribution_state": state,
                "user_id": user_id,
                "active": active,
            }
            for index, (state, user_id, active) in enumerate(values)
        ]
        records = (
            self.env["crm.lead"].with_context(lead_distribution_no_auto=True).create(vals_list)
        )
        return list(zip(records, values, strict=True))

    @DB_EXAMPLES
    @given(leads=leads)
    def test_sql_domain_and_field_select_the_waiting_leads(self, leads):
        with rolled_back(self.env):
            created = self._create(leads)
            ids = [lead.id for lead, _values in created]
            # the lock of a batch: the leads of the pool's search are active, the condition
            # leaves that test to the search
            waiting = [
                lead.id for lead, (state, user_id, _active) in created if is_waiting(state, user_id)
            ]
            self.assertEqual(self.env["lead.distribution.pool"]._lock_leads(ids), waiting)
            found = (
                self.env["crm.lead"]
                .with_context(active_test=False)
                .search([("id", "in", ids), *waiting_domain()], order="id")
            )
            self.assertEqual(found.ids, waiting)
            # the field on the form: an archived lead waits for nothing
            self.assertEqual(
                [lead.id for lead, _values in created if lead.distribution_waiting],
                [lead.id for lead, values in created if is_waiting(*values)],
            )
