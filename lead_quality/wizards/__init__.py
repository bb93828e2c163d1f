from . import (
    base_partner_merge_automatic_wizard,
    lead_quality_rank_proposal,
    lead_quality_rank_proposal_line,
)
