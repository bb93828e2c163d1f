from . import (
    crm_lead,
    crm_team,
    ir_actions_server,
    ir_module_module,
    lead_data_maintenance,
    lead_quality_feedback,
    lead_quality_rank,
    lead_quality_reject_reason,
    res_company,
    res_config_settings,
    res_partner,
    utm_medium,
)
