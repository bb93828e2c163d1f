# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Lead Funnel Reporting",
    "summary": "Funnel planning from revenue targets and historical conversion, plan versus actual, marketing activity versus sales success, marketing lead quotas and scheduled reports.",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Lead Management Add-ons",
    "website": "https://github.com/lead-management/odoo-crm-addons",
    "license": "LGPL-3",
    "depends": ["lead_quality", "lead_distribution"],
    "data": [
        "security/ir.model.access.csv",
    ],
    "demo": [],
    "installable": True,
    "application": False,
}
