# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Lead Distribution",
    "summary": "Fair, transparent distribution of leads across direct salespeople and sales partners, with acceptance, follow-up deadlines and recycling of neglected leads.",
    "version": "1.3.0",
    "category": "Sales/CRM",
    "author": "Lead Management Add-ons",
    "website": "https://github.com/lead-management/odoo-crm-addons",
    "license": "LGPL-3",
    "depends": ["lead_quality", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/lead_distribution_security.xml",
        "data/mail_activity_type_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "data/lead_distribution_decline_reason_data.xml",
        "views/lead_distribution_pool_views.xml",
        "views/lead_distribution_decline_reason_views.xml",
        "views/crm_lead_views.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/lead_distribution_demo.xml",
        "demo/lead_distribution_history_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "lead_distribution/static/tests/tours/*.js",
        ],
    },
}
