from . import (
    test_activity_success,
    test_demo_reports,
    test_followup_rule,
    test_funnel_plan,
    test_funnel_plan_form,
    test_funnel_plan_tour,
    test_install,
    test_kpi_digest,
    test_kpi_security,
    test_plan_month_shares,
    test_plan_vs_actual,
    test_report_screens,
)
