# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.3.0: fewer index entries paid by every lead write.

Every index of ``crm_lead`` is updated by each write of a lead that changes an indexed column
(a stage change, a new salesperson ...). ``data_verified_date`` loses its index (only the daily
freshness cron filters on it), and the index on ``data_steward_id`` becomes partial (``WHERE
data_steward_id IS NOT NULL``): leads without a steward cost it nothing. Odoo neither drops an
index a field no longer asks for nor replaces a full index by a partial one of the same name,
so both are dropped here; the update then creates the partial one.
"""

from odoo.tools import sql

INDEXES = ("crm_lead__data_verified_date_index", "crm_lead__data_steward_id_index")


def migrate(cr, version):
    for index in INDEXES:
        sql.drop_index(cr, index, "crm_lead")
