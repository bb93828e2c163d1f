# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

from lxml import etree

from odoo.modules.module import get_manifest, get_module_path
from odoo.tests import TransactionCase, tagged

OUR_ADDONS = ("lead_quality", "lead_distribution", "lead_reporting")
#: digits Odoo's crm tests search for or create as fixtures (test_phone_mobile_search,
#: test_phone_mobile_search_format, duplicates); our demo numbers must contain none of them
CRM_TEST_DIGITS = ("1122", "485001122", "499223311", "2233", "5550", "1234567", "123456")
#: e-mail domains Odoo's crm and mail tests use themselves
CRM_TEST_DOMAINS = {"example.com", "test.example.com", "multicompany.example.com"}
#: German numbers reserved by the Bundesnetzagentur for fiction (film, television, books)
FICTITIOUS_DE = ("493023125", "494066969", "496990009", "498999998", "492214710")


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """Our demo data does not collide with the records and searches of Odoo's own tests."""

    def _demo_values(self, fnames):
        values = []
        for addon in OUR_ADDONS:
            path = get_module_path(addon)
            self.assertTrue(path, addon)
            for demo_file in get_manifest(addon)["demo"]:
                tree = etree.parse(f"{path}/{demo_file}")
                for node in tree.iter("field"):
                    if node.get("name") in fnames and node.text:
                        values.append((addon, node.get("name"), node.text.strip()))
        return values

    def test_phone_numbers(self):
        phones = self._demo_values({"phone", "mobile"})
        self.assertTrue(phones)
        for addon, _fname, phone in phones:
            digits = re.sub(r"\D", "", phone)
            with self.subTest(addon=addon, phone=phone):
                self.assertFalse([part for part in CRM_TEST_DIGITS if part in digits])
                if digits.startswith("49"):
                    self.assertTrue(digits.startswith(FICTITIOUS_DE))

    def test_email_domains(self):
        emails = self._demo_values({"email", "email_from"})
        self.assertTrue(emails)
        for addon, _fname, email in emails:
            domain = email.rpartition("@")[2].lower()
            with self.subTest(addon=addon, email=email):
                self.assertTrue(domain.endswith(".example.com"))
                self.assertNotIn(domain, CRM_TEST_DOMAINS)


@tagged("post_install", "-at_install")
class TestDemoFigures(TransactionCase):
    """The demo shows the features with figures (skipped on a database without demo data)."""

    def setUp(self):
        super().setUp()
        self.team = self.env.ref("lead_quality.demo_crm_team_key_accounts", False)
        if not self.team:
            self.skipTest("database without demo data")

    def test_scoreboard_has_months_and_a_member_below_team_level(self):
        bernd = self.env.ref("lead_quality.demo_user_dm_bernd")
        rows = self.env["lead.maintenance.scoreboard"].search([("team_id", "=", self.team.id)])
        self.assertGreaterEqual(len({row.period for row in rows if row.points > 0}), 4)
        self.assertGreaterEqual(len({row.period for row in rows if row.leads_received}), 4)
        below = rows.filtered("is_free_rider")
        self.assertEqual(below.user_id, bernd)
        self.assertGreaterEqual(len(set(below.mapped("period"))), 3)
