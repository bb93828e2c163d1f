from . import (
    crm_lead,
    crm_lead_recycling,
    lead_distribution_decline_reason,
    lead_distribution_log,
    lead_distribution_member,
    lead_distribution_member_day,
    lead_distribution_pool,
    lead_distribution_pool_availability,
    lead_distribution_pool_effects,
    lead_distribution_pool_engine,
    lead_distribution_pool_history,
    lead_distribution_pool_matching,
)
