# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Lead Distribution",
    "summary": "Fair, transparent distribution of leads across direct salespeople and sales partners, with acceptance, follow-up deadlines and recycling of neglected leads.",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Lead Management Add-ons",
    "website": "https://github.com/lead-management/odoo-crm-addons",
    "license": "LGPL-3",
    "depends": ["lead_quality", "portal"],
    "data": [
        "security/ir.model.access.csv",
    ],
    "demo": [],
    "installable": True,
    "application": False,
}
