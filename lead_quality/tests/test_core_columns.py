# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Columns we add to Odoo's own tables: nobody else's insert may fail on them."""

import importlib.util

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, sql
from odoo.tools.misc import file_path

from ..lib import quality_scoring

OUR_ADDONS = ("lead_quality", "lead_distribution", "lead_reporting")


def _load_migration(version, step):
    path = file_path(f"lead_quality/migrations/{version}/{step}.py")
    spec = importlib.util.spec_from_file_location(f"lead_quality_{step.replace('-', '_')}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestCoreColumns(TransactionCase):
    def _our_core_columns(self, model_name=None):
        """{(table, column)} of the stored fields our addons add to models of other modules
        (not the fields of Odoo we only redefine, such as the translatable medium name)."""
        columns = set()
        ir_fields = self.env["ir.model.fields"]
        for name in [model_name] if model_name else list(self.env.registry):
            model = self.env[name]
            if model._abstract or not model._auto or model._original_module in OUR_ADDONS:
                continue
            for field in model._fields.values():
                if (
                    field._module in OUR_ADDONS
                    and field.store
                    and field.column_type
                    and set(ir_fields._get(name, field.name).modules.split(", ")) <= set(OUR_ADDONS)
                ):
                    columns.add((model._table, field.name))
        return columns

    def _not_null_columns(self, table):
        self.env.cr.execute(
            """
            SELECT column_name FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = %s AND is_nullable = 'NO'
            """,
            [table],
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _insert_like(self, table, source_id, overrides):
        """Insert a row into ``table`` the way code that does not know our addons would:
        only the columns Odoo itself requires (copied from row ``source_id``)."""
        ours = {column for tbl, column in self._our_core_columns() if tbl == table}
        required = sorted(self._not_null_columns(table) - ours - {"id"})
        values = [
            SQL("%s", overrides[column]) if column in overrides else SQL.identifier(column)
            for column in required
        ]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) SELECT %s FROM %s WHERE id = %s RETURNING id",
                SQL.identifier(table),
                SQL(", ").join(SQL.identifier(column) for column in required),
                SQL(", ").join(values),
                SQL.identifier(table),
                source_id,
            )
        )
        return self.env.cr.fetchone()[0]

    def test_no_not_null_on_core_tables(self):
        columns = self._our_core_columns()
        self.assertIn(("res_company", "lead_quality_min_grade"), columns)
        self.assertIn(("crm_team", "lead_offer_type"), columns)
        not_null = {
            (table, column) for table, column in columns if column in self._not_null_columns(table)
        }
        self.assertFalse(not_null, "NOT NULL columns of ours on Odoo's tables")
        # and no field of ours on them is required (fields of Odoo that we only redefine,
        # such as the translatable medium name, stay as Odoo defines them)
        self.assertNotIn(("utm_medium", "name"), columns)
        ir_fields = self.env["ir.model.fields"]
        required = [
            f"{name}.{field.name}"
            for name in self.env.registry
            if self.env[name]._original_module not in OUR_ADDONS
            for field in self.env[name]._fields.values()
            if field._module in OUR_ADDONS
            and field.required
            and set(ir_fields._get(name, field.name).modules.split(", ")) <= set(OUR_ADDONS)
        ]
        self.assertFalse(required)
        self.assertTrue(self.env["utm.medium"]._fields["name"].required)

    def test_company_inserted_without_our_columns_scores_with_defaults(self):
        main = self.env.ref("base.main_company")
        company_id = self._insert_like("res_company", main.id, {"name": "LQ SQL Company"})
        company = self.env["res.company"].browse(company_id)
        self.assertFalse(company.lead_quality_min_grade)
        params = company._lead_quality_params()
        for key in (
            "weight_rank",
            "weight_completeness",
            "weight_freshness",
            "threshold_a",
            "threshold_b",
            "threshold_c",
            "freshness_days",
            "min_grade",
        ):
            self.assertEqual(params[key], quality_scoring.DEFAULT_PARAMS[key], key)
        # unranked medium, complete and fresh data: (40 * 0 + 40 * 100 + 20 * 100) / 100 = 60
        self.assertEqual(
            quality_scoring.lead_quality(0, 100, 0, 1, 0, params), (False, 60, "B", True)
        )

    def test_team_inserted_without_our_columns_proposes_standard_offers(self):
        source = self.env.ref("sales_team.team_sales_department")
        team_id = self._insert_like("crm_team", source.id, {})
        team = self.env["crm.team"].browse(team_id)
        self.assertFalse(team.lead_offer_type)
        lead = self.env["crm.lead"].create({"name": "LQ team lead", "team_id": team.id})
        self.assertEqual(lead.offer_type, "standard")

    def test_create_without_our_values(self):
        company = self.env["res.company"].create(
            {"name": "LQ Empty Company", "lead_quality_min_grade": False}
        )
        self.assertEqual(company._lead_quality_params()["min_grade"], "C")
        settings = self.env["res.config.settings"].with_company(company).create({})
        self.assertEqual(settings.lead_quality_min_grade, "C")
        team = self.env["crm.team"].create({"name": "LQ Empty Team", "lead_offer_type": False})
        lead = self.env["crm.lead"].create({"name": "LQ lead", "team_id": team.id})
        self.assertEqual(lead.offer_type, "standard")

    def test_migration_drops_not_null(self):
        cr = self.env.cr
        self.env.flush_all()
        for table, column in (
            ("res_company", "lead_quality_min_grade"),
            ("crm_team", "lead_offer_type"),
        ):
            cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE %s IS NULL",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    "C" if table == "res_company" else "standard",
                    SQL.identifier(column),
                )
            )
            sql.set_not_null(cr, table, column)
            self.assertIn(column, self._not_null_columns(table))
        _load_migration("1.2.0", "pre-migrate").migrate(cr, "18.0.1.1.0")
        self.assertNotIn("lead_quality_min_grade", self._not_null_columns("res_company"))
        self.assertNotIn("lead_offer_type", self._not_null_columns("crm_team"))

    def test_migration_moves_shipped_points_only(self):
        Company = self.env["res.company"]
        shipped, custom, other = Company.create(
            [
                {
                    "name": f"LQ points {index}",
                    "data_maintenance_points_completed": completed,
                    "data_maintenance_points_corrected": corrected,
                }
                for index, (completed, corrected) in enumerate(((2, 3), (2, 5), (4, 3)))
            ]
        )
        _load_migration("1.2.0", "post-migrate").migrate(self.env.cr, "18.0.1.1.0")
        self.assertEqual(
            [
                (c.data_maintenance_points_completed, c.data_maintenance_points_corrected)
                for c in (shipped, custom, other)
            ],
            [(2, 1), (2, 5), (4, 3)],
        )
