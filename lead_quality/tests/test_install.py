from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_installed_with_dependencies(self):
        module = self.env["ir.module.module"].search([("name", "=", "lead_quality")])
        self.assertEqual(module.state, "installed")
        self.assertEqual(module.license, "LGPL-3")
        expected = {"mail", "gamification", "utm", "crm"}
        self.assertEqual(set(module.dependencies_id.mapped("name")), expected)
