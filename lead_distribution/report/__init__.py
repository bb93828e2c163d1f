from . import lead_distribution_report
