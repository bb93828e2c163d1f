# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestQualityTranslations(TransactionCase):
    """Shipped data in German: our media and Odoo's, once the German translations load."""

    def test_medium_names_in_german(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["lead_quality"], ["de_DE"])
        german = self.env["utm.medium"].with_context(lang="de_DE")
        names = {
            xmlid: german.env.ref(xmlid).name
            for xmlid in (
                "lead_quality.utm_medium_event",
                "lead_quality.utm_medium_trade_fair",
                "lead_quality.utm_medium_direct_mail_post",
                "utm.utm_medium_phone",
                "utm.utm_medium_email",
                "utm.utm_medium_television",
            )
        }
        self.assertEqual(
            names,
            {
                "lead_quality.utm_medium_event": "Veranstaltung / Seminar",
                "lead_quality.utm_medium_trade_fair": "Messe",
                "lead_quality.utm_medium_direct_mail_post": "Mailing (Post)",
                "utm.utm_medium_phone": "Telefon",
                "utm.utm_medium_email": "E-Mail",
                "utm.utm_medium_television": "Fernsehen",
            },
        )
        # English stays English
        self.assertEqual(
            self.env.ref("utm.utm_medium_phone").with_context(lang="en_US").name, "Phone"
        )
