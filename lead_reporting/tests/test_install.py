from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_installed_with_dependencies(self):
        module = self.env["ir.module.module"].search([("name", "=", "lead_reporting")])
        self.assertEqual(module.state, "installed")
        self.assertEqual(module.license, "LGPL-3")
        expected = {"gamification", "lead_distribution", "lead_quality"}
        self.assertEqual(set(module.dependencies_id.mapped("name")), expected)
