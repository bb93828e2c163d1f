# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Lead Funnel Reporting",
    "summary": "Funnel planning from revenue targets and historical conversion, plan versus actual, marketing activity versus sales success, marketing lead quotas and scheduled reports.",
    "version": "1.3.0",
    "category": "Sales/CRM",
    "author": "Lead Management Add-ons",
    "website": "https://github.com/lead-management/odoo-crm-addons",
    "license": "LGPL-3",
    "uninstall_hook": "uninstall_hook",
    "depends": ["lead_quality", "lead_distribution", "gamification"],
    "data": [
        "security/lead_reporting_groups.xml",
        "security/ir.model.access.csv",
        "security/lead_reporting_security.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "data/gamification_data.xml",
        "report/lead_funnel_plan_report.xml",
        "views/lead_funnel_plan_views.xml",
        "views/lead_funnel_report_views.xml",
        "views/lead_marketing_quota_views.xml",
        "views/utm_campaign_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/lead_reporting_history_demo.xml", "demo/lead_reporting_demo.xml"],
    "assets": {
        # pivot and graph views are loaded on demand: our variants with them
        "web.assets_backend_lazy": [
            "lead_reporting/static/src/views/**/*",
        ],
        "web.assets_tests": [
            "lead_reporting/static/tests/tours/*.js",
        ],
    },
}
