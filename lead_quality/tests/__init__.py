from . import (
    test_data_maintenance,
    test_data_maintenance_perf,
    test_data_maintenance_rewards,
    test_install,
    test_quality_data,
    test_quality_feedback,
    test_quality_fields,
    test_quality_performance,
    test_quality_report,
    test_quality_rescore,
    test_quality_score,
    test_quality_tour,
)
