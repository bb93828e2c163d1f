# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Duplicates and known customers before the fair distribution: a duplicate of an open lead is
linked to it (and goes to its holder) or merged into it; a lead of a known customer goes to its
owner; both count in the receiver's fair share."""

from odoo.tests import tagged

from .common import DistributionCase


class MatchingCase(DistributionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # direct members only, unless a test brings the partners back
        (cls.m_partner1 | cls.m_partner2).available = False
        cls.customer = cls.env["res.partner"].create(
            {"name": "Kunde Solartechnik AG", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Kim Kunde",
                "parent_id": cls.customer.id,
                "email": "kim.kunde@kunde-solar.example.com",
            }
        )

    def _held(self, name, user=None, **vals):
        """An open opportunity someone holds (not pending in the pool)."""
        return (
            self.env["crm.lead"]
            .with_context(lead_distribution_no_auto=True)
            .create(
                {
                    "name": name,
                    "type": "opportunity",
                    "team_id": self.team.id,
                    "user_id": (user or self.sales2).id,
                    **vals,
                }
            )
        )

    def _next_is(self, member):
        """The other salesperson receives two leads while ``member`` is away: by fair share
        the next lead is ``member``'s, so a lead that goes to the other went there by
        matching."""
        member.available = False
        self._leads([10, 10])
        self.pool.action_distribute()
        member.available = True
        other = (self.m_sales1 | self.m_sales2) - member
        self.assertEqual(self._received(other), 2)

    def _sales1_is_next(self):
        self._next_is(self.m_sales1)

    def _received(self, member):
        return self.pool._member_stats(member).get(member.id, (0,))[0]


@tagged("post_install", "-at_install")
class TestDuplicates(MatchingCase):
    def test_duplicate_is_linked_and_goes_to_the_holder_counted_in_its_share(self):
        self._sales1_is_next()
        opportunity = self._held("Solar park Nord", email_from="Kim <kim@nord.example.com>")
        lead = self._leads([60], email_from="kim@nord.example.com")
        # Odoo's own duplicate rule finds it
        self.assertIn(opportunity, lead._get_lead_duplicates(email=lead.email_from))
        self.pool.action_distribute()
        self.assertEqual(lead.user_id, self.sales2)
        self.assertEqual(lead.distribution_duplicate_of_id, opportunity)
        log = lead.distribution_log_ids
        self.assertEqual(log.event, "linked")
        self.assertIn("Solar park Nord", log.reason)
        self.assertIn("same e-mail address", log.reason)
        self.assertEqual(self._received(self.m_sales2), 3, "counted in its fair share")
        # the next two leads are sales1's: the linked lead counted against sales2
        others = self._leads([50, 50])
        self.pool.action_distribute()
        self.assertEqual(others.user_id, self.sales1)

    def test_holder_away_the_duplicate_is_distributed_fairly_and_still_linked(self):
        opportunity = self._held("Heat pump offer", phone="+49 40 5550 1010")
        self.m_sales2.available = False
        lead = self._leads([60], phone="+49 40 5550 1010")
        self.pool.action_distribute()
        self.assertEqual(lead.user_id, self.sales1)
        self.assertEqual(lead.distribution_duplicate_of_id, opportunity)
        log = lead.distribution_log_ids
        self.assertEqual(log.event, "assigned")
        self.assertIn("Sue Seller (holder of the lead it duplicates) could not take it", log.reason)
        self.assertIn("marked away", log.reason)

    def test_holder_outside_the_pool_the_duplicate_is_distributed_fairly(self):
        self._held("Battery storage", user=self.manager, email_from="ola@speicher.example.com")
        lead = self._leads([60], email_from="ola@speicher.example.com")
        self.pool.action_distribute()
        self.assertIn(lead.user_id, self.sales1 | self.sales2)
        self.assertIn("not a member of this pool", lead.distribution_log_ids.reason)

    def test_duplicates_within_one_distribution_go_to_one_member(self):
        first, second = self._leads(
            [70, 60], phone="+49 30 5550 2020", email_from="ben@einkauf.example.com"
        )
        third = self._leads([50], phone="+49 30 5550 9999", email_from="other@einkauf.example.com")
        self.pool.action_distribute()
        self.assertEqual(second.user_id, first.user_id)
        self.assertEqual(second.distribution_duplicate_of_id, first)
        self.assertEqual(second.distribution_log_ids.event, "linked")
        self.assertIn(first.name, second.distribution_log_ids.reason)
        self.assertNotEqual(third.user_id, first.user_id, "not a duplicate: fair share")

    def test_merge_into_the_open_lead_with_odoo_merge(self):
        self.pool.duplicate_mode = "merge"
        opportunity = self._held("Roof PV Lager", email_from="lea@lager.example.com")
        lead = self._leads([60], email_from="Lea <lea@lager.example.com>")
        name = lead.name
        self.pool.action_distribute()
        self.assertFalse(lead.exists(), "merged into the open opportunity")
        self.assertEqual(opportunity.user_id, self.sales2, "it stays with its holder")
        log = opportunity.distribution_log_ids
        self.assertEqual(log.event, "merged")
        self.assertEqual(log.lead_name, name)
        self.assertEqual(log.member_id, self.m_sales2)
        self.assertIn("Roof PV Lager", log.reason)
        self.assertIn("held by Sue Seller", log.reason)
        self.assertEqual(self._received(self.m_sales2), 0, "a merge is no lead received")
        report = self.env["lead.distribution.report"].search([("id", "=", log.id)])
        self.assertEqual((report.event, report.received, report.merged), ("merged", 0, 1))

    def test_merge_within_one_distribution_distributes_the_merged_lead(self):
        self.pool.duplicate_mode = "merge"
        leads = self._leads([60, 50], email_from="max@doppelt.example.com")
        self.pool.action_distribute()
        survivor = leads.exists()
        self.assertEqual(len(survivor), 1)
        self.assertTrue(survivor.user_id)
        events = survivor.distribution_log_ids.mapped("event")
        self.assertEqual(sorted(events), ["assigned", "merged"])

    def test_won_and_lost_leads_are_no_duplicates(self):
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        self._held("Won deal", email_from="won@kunde.example.com", stage_id=won_stage.id)
        lost = self._held("Lost deal", email_from="lost@kunde.example.com")
        lost.action_set_lost()
        leads = self._leads([60], email_from="won@kunde.example.com") | self._leads(
            [60], email_from="lost@kunde.example.com"
        )
        self.pool.action_distribute()
        self.assertFalse(leads.distribution_duplicate_of_id)
        self.assertEqual(set(leads.distribution_log_ids.mapped("event")), {"assigned"})

    def test_distribute_duplicates_as_new_leads(self):
        self.pool.duplicate_mode = "none"
        self._sales1_is_next()
        self._held("Carport", email_from="eva@carport.example.com")
        lead = self._leads([60], email_from="eva@carport.example.com")
        self.pool.action_distribute()
        self.assertEqual(lead.user_id, self.sales1, "fair share, not the holder")
        self.assertFalse(lead.distribution_duplicate_of_id)


@tagged("post_install", "-at_install")
class TestAccountMatch(MatchingCase):
    def test_lead_of_a_customer_goes_to_its_salesperson_counted_in_its_share(self):
        self.customer.user_id = self.sales2
        self._sales1_is_next()
        lead = self._leads([80], partner_id=self.contact.id)
        self.pool.action_distribute()
        self.assertEqual(lead.user_id, self.sales2)
        log = lead.distribution_log_ids
        self.assertEqual(log.event, "matched")
        self.assertIn("salesperson of the customer Kunde Solartechnik AG", log.reason)
        self.assertIn("counts in its fair share", log.reason)
        report = self.env["lead.distribution.report"].search([("id", "=", log.id)])
        self.assertEqual((report.received, report.matched), (1, 1))
        self.assertEqual(report.quality_received, 80)
        # not a way to hoard: the next leads go to the other salesperson
        others = self._leads([50, 50])
        self.pool.action_distribute()
        self.assertEqual(others.user_id, self.sales1)

    def test_customer_found_by_its_email_address(self):
        self.customer.user_id = self.sales2
        self._sales1_is_next()
        lead = self._leads([80], email_from="KIM.KUNDE@kunde-solar.example.com")
        self.pool.action_distribute()
        self.assertEqual(lead.user_id, self.sales2)
        self.assertEqual(lead.distribution_log_ids.event, "matched")

    def test_salesperson_of_the_open_opportunity_of_the_customer(self):
        colleague = self.env["res.partner"].create(
            {"name": "Jo Kunde", "parent_id": self.customer.id, "email": "jo@kunde.example.com"}
        )
        self._held("Kunde: storage extension", user=self.sales1, partner_id=colleague.id)
        self._next_is(self.m_sales2)
        lead = self._leads([70], partner_id=self.contact.id)
        self.pool.action_distribute()
        self.assertEqual(lead.user_id, self.sales1)
        self.assertEqual(lead.distribution_log_ids.event, "matched")
        self.assertIn("Kunde: storage extension", lead.distribution_log_ids.reason)

    def test_partner_that_accepted_an_earlier_lead_of_the_customer_is_offered_it_first(self):
        (self.m_partner1 | self.m_partner2).available = True
        colleague = self.env["res.partner"].create(
            {"name": "Jo Kunde", "parent_id": self.customer.id, "email": "jo@kunde.example.com"}
        )
        # another contact of the customer: not a duplicate, the same customer
        earlier = self._leads([60], partner_id=colleague.id)
        earlier.sudo().write(
            {
                "distribution_pool_id": self.pool.id,
                "distribution_member_id": self.m_partner1.id,
                "distribution_channel": "partner",
                "channel_partner_id": self.partner1.id,
                "distribution_state": "accepted",
            }
        )
        lead = self._leads([90], partner_id=self.contact.id)
        self.pool.action_distribute()
        self.assertEqual(lead.distribution_state, "offered")
        self.assertEqual(lead.channel_partner_id, self.partner1)
        log = lead.distribution_log_ids
        self.assertEqual(log.event, "matched")
        self.assertIn("accepted an earlier lead of the customer", log.reason)
        self.assertTrue(lead.distribution_accept_deadline)

    def test_owner_away_the_lead_goes_fairly_and_the_log_says_why(self):
        self.customer.user_id = self.sales2
        self.m_sales2.available = False
        lead = self._leads([80], partner_id=self.contact.id)
        self.pool.action_distribute()
        self.assertEqual(lead.user_id, self.sales1)
        log = lead.distribution_log_ids
        self.assertEqual(log.event, "assigned")
        self.assertIn("Sue Seller (salesperson of the customer) could not take it", log.reason)

    def test_account_match_off(self):
        self.pool.account_match = False
        self.customer.user_id = self.sales2
        self._sales1_is_next()
        lead = self._leads([80], partner_id=self.contact.id)
        self.pool.action_distribute()
        self.assertEqual(lead.user_id, self.sales1)
        self.assertEqual(lead.distribution_log_ids.event, "assigned")

    def test_matching_costs_queries_per_batch_not_per_lead(self):
        """Duplicates and owners are looked up for the whole batch at once."""
        self.customer.user_id = self.sales2
        counts = []
        for size in (4, 40):
            contacts = self.env["res.partner"].create(
                [
                    {
                        "name": f"Contact {size} {i}",
                        "parent_id": self.customer.id,
                        "email": f"c{size}.{i}@kunde-solar.example.com",
                    }
                    for i in range(size)
                ]
            )
            for contact in contacts:
                self._held(f"Open {contact.name}", user=self.sales1, email_from=contact.email)
            leads = self.env["crm.lead"].browse()
            for contact in contacts:
                leads |= self._leads([50], email_from=contact.email)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.pool._distribute(leads, trigger="test")
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - before)
            self.assertEqual(leads.user_id, self.sales1, "linked to the open opportunities")
            self.assertEqual(set(leads.distribution_log_ids.mapped("event")), {"linked"})
        small, large = counts
        # ten times the leads, and as many open opportunities to link them to: a few more
        # queries, not ten times as many
        self.assertLessEqual(large, small + 20, counts)
