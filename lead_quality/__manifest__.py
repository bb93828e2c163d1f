# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Lead Quality",
    "summary": "Lead quality ranks by marketing medium and offer type, data completeness and freshness, quality score and grade, sales feedback and data-maintenance incentives.",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Lead Management Add-ons",
    "website": "https://github.com/lead-management/odoo-crm-addons",
    "license": "LGPL-3",
    "depends": ["crm", "utm", "mail", "gamification"],
    "data": [
        "security/ir.model.access.csv",
    ],
    "demo": [],
    "installable": True,
    "application": False,
}
