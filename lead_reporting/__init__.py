from odoo.tools import SQL

from . import models, wizards


def uninstall_hook(env):
    """What the funnel report created on Odoo's crm_lead table goes with the addon."""
    env.cr.execute(SQL("DROP STATISTICS IF EXISTS crm_lead_funnel_report_day_stats"))
    env.cr.execute(SQL("DROP INDEX IF EXISTS crm_lead_team_id_create_date_index"))
