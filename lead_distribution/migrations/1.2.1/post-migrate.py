# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Decision-log lines inserted in bulk by early versions carry no lead name; the name was
copied onto them when their lead was deleted or merged. Every line now carries it from its
creation: copy it once onto the old lines whose lead still exists."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE lead_distribution_log log SET lead_name = lead.name
          FROM crm_lead lead
         WHERE lead.id = log.lead_id AND log.lead_name IS NULL
        """
    )
