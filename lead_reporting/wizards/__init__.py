from . import lead_funnel_replan_wizard, lead_kpi_revision_wizard
