# ruff: noqa: I001 - load order: the mixin before its users, tables before the report views
from . import lead_kpi_mixin
from . import lead_kpi_revision
from . import lead_funnel_plan
from . import lead_funnel_plan_line
from . import lead_funnel_plan_cycle
from . import utm_campaign
from . import lead_funnel_report
from . import lead_activity_success_report
from . import lead_marketing_quota
from . import res_config_settings
