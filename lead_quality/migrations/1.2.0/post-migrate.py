# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.2.0: correcting no longer pays more than completing by default.

The shipped points were 2 for completing an empty field and 3 for correcting a value, which
rewarded overwriting good data. Companies still on exactly those shipped points get the new
defaults (2 and 1); companies whose points were changed keep them.
"""

from odoo import SUPERUSER_ID, api

OLD_DEFAULTS = {"data_maintenance_points_completed": 2, "data_maintenance_points_corrected": 3}
NEW_CORRECTED = 1


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    companies = (
        env["res.company"]
        .with_context(active_test=False)
        .search([(fname, "=", value) for fname, value in OLD_DEFAULTS.items()])
    )
    companies.write({"data_maintenance_points_corrected": NEW_CORRECTED})
