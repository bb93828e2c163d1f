from . import lead_distribution_pool
