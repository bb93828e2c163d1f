# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Lead Distribution: Time Off",
    "summary": "Members of lead distribution pools on approved time off receive no leads, and "
    "their fair share does not grow while they are away.",
    "version": "1.0.0",
    "category": "Sales/CRM",
    "author": "Lead Management Add-ons",
    "website": "https://github.com/lead-management/odoo-crm-addons",
    "license": "LGPL-3",
    "depends": ["lead_distribution", "hr_holidays"],
    "auto_install": True,
}
