"""18.0.1.2.0: the digest e-mails are rendered in each recipient's language with
formatted figures; their templates are noupdate data, so they are loaded again."""

from odoo import SUPERUSER_ID, api
from odoo.tools import convert_file


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    convert_file(
        env,
        "lead_reporting",
        "data/mail_template_data.xml",
        {},
        mode="init",
        noupdate=True,
        kind="data",
    )
