# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.translate import LazyTranslate, get_translation

_lt = LazyTranslate(__name__)

# Names of Odoo's own media (module utm, which ships them untranslated) in our translations:
# applied to the media whenever lead_quality's translations are loaded for a language.
ODOO_MEDIUM_NAMES = {
    "utm.utm_medium_phone": _lt("Phone"),
    "utm.utm_medium_email": _lt("Email"),
    "utm.utm_medium_direct": _lt("Direct"),
    "utm.utm_medium_website": _lt("Website"),
    "utm.utm_medium_banner": _lt("Banner"),
    "utm.utm_medium_television": _lt("Television"),
}


class UtmMedium(models.Model):
    # a chatter: rank changes from the evidence are explained on the medium
    _name = "utm.medium"
    _inherit = ["utm.medium", "mail.thread"]

    # medium names are shown to salespeople and partners in their language (Odoo stores them
    # untranslated; the column becomes a translated one on install, and back on uninstall)
    name = fields.Char(translate=True)
    quality_rank = fields.Integer(
        default=0,
        index=True,
        help="Rank of the leads this medium produces, 1 being the best "
        "(telemarketing in the default ranking). 0 means not ranked.",
    )
    lead_required_field_ids = fields.Many2many(
        comodel_name="ir.model.fields",
        relation="utm_medium_lead_required_field_rel",
        column1="medium_id",
        column2="field_id",
        string="Required Lead Fields",
        # which fields are required is configured by CRM managers (read access to the
        # field metadata is theirs, see ir.model.access.csv); everyone else sees the labels
        groups="sales_team.group_sale_manager",
        domain="[('model', '=', 'crm.lead'), ('store', '=', True), "
        "('ttype', 'in', ('char', 'text', 'html', 'selection', 'many2one', "
        "'many2many', 'date', 'datetime', 'integer', 'float', 'monetary'))]",
        help="Information a lead from this medium must carry. The lead's data "
        "completeness is the share of these fields that hold a usable value.",
    )
    lead_required_field_names = fields.Char(
        string="Required Lead Information",
        compute="_compute_lead_required_field_names",
        help="Information a lead from this medium must carry.",
    )
    min_completeness = fields.Integer(
        string="Minimum Completeness (%)",
        default=60,
        help="Data completeness (percent) a lead from this medium needs to be "
        "ready for distribution.",
    )
    information_depth = fields.Text(
        string="Expected Information Depth",
        translate=True,
        help="What a lead from this medium is expected to tell about the "
        "contact, defined before the campaign runs.",
    )
    quality_rank_override_ids = fields.One2many(
        comodel_name="lead.quality.rank",
        inverse_name="medium_id",
        string="Rank Overrides",
        help="Ranks of this medium that differ by offer type.",
    )

    @api.model
    def _lead_quality_translate_odoo_media(self, langs):
        """Give Odoo's media their names in ``langs`` from lead_quality's translations
        (the names a user changed in a language stay as they are)."""
        for xmlid, term in ODOO_MEDIUM_NAMES.items():
            medium = self.env.ref(xmlid, raise_if_not_found=False)
            if not medium or medium.with_context(lang="en_US").name != term._source:
                continue
            translations = {
                lang: get_translation("lead_quality", lang, term._source, ())
                for lang in langs
                if lang != "en_US"
            }
            current = {lang: medium.with_context(lang=lang).name for lang in translations}
            translations = {
                lang: value
                for lang, value in translations.items()
                if value != term._source and current[lang] in (term._source, False)
            }
            if translations:
                medium.sudo()._update_field_translations("name", translations)

    @api.depends("lead_required_field_ids")
    def _compute_lead_required_field_names(self):
        # the relation to the field metadata is read with sudo (salespeople may not read
        # ir.model.fields); the labels come from the registry, in the user's language
        lead_fields = self.env["crm.lead"]._fields
        for medium in self:
            medium.lead_required_field_names = ", ".join(
                lead_fields[field.name]._description_string(self.env)
                for field in medium.sudo().lead_required_field_ids
                if field.name in lead_fields
            )

    @api.constrains("quality_rank")
    def _check_quality_rank(self):
        for medium in self:
            if medium.quality_rank < 0:
                raise ValidationError(
                    self.env._(
                        "The quality rank of medium %(medium)s cannot be negative "
                        "(1 is the best rank, 0 means not ranked).",
                        medium=medium.name,
                    )
                )

    @api.constrains("min_completeness")
    def _check_min_completeness(self):
        for medium in self:
            if not 0 <= medium.min_completeness <= 100:
                raise ValidationError(
                    self.env._(
                        "The minimum completeness of medium %(medium)s must be "
                        "between 0 and 100 percent.",
                        medium=medium.name,
                    )
                )

    @api.constrains("lead_required_field_ids")
    def _check_lead_required_fields(self):
        allowed = self.env["crm.lead"]._quality_candidate_field_names()
        for medium in self:
            wrong = medium.lead_required_field_ids.filtered(
                lambda f: f.model != "crm.lead" or f.name not in allowed
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "Medium %(medium)s: required fields must be stored, "
                        "editable fields of the lead (crm.lead); not allowed: "
                        "%(fields)s.",
                        medium=medium.name,
                        fields=", ".join(f"{f.model}.{f.name}" for f in wrong),
                    )
                )

    _QUALITY_MANAGER_FIELDS = ("quality_rank", "lead_required_field_ids", "min_completeness")

    def _check_quality_manager(self, vals_list):
        if self.env.su or self.env.user.has_group("sales_team.group_sale_manager"):
            return
        if any(fname in vals for vals in vals_list for fname in self._QUALITY_MANAGER_FIELDS):
            raise AccessError(
                self.env._(
                    "Only CRM managers can change the quality rank, the "
                    "required fields or the minimum completeness of a medium."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_quality_manager(vals_list)
        media = super().create(vals_list)
        if any(vals.get("lead_required_field_ids") for vals in vals_list):
            self.env["crm.lead"]._quality_refresh_dependencies()
        return media

    # changes that re-score every lead of the medium
    _QUALITY_RESCORE_FIELDS = ("quality_rank", "min_completeness", "quality_rank_override_ids")

    def write(self, vals):
        self._check_quality_manager([vals])
        res = super().write(vals)
        if any(fname in vals for fname in self._QUALITY_RESCORE_FIELDS):
            self.env["crm.lead"]._quality_rescore_pending()
        if "lead_required_field_ids" in vals:
            # a field no medium required before: the completeness must now depend on it
            self.env["crm.lead"]._quality_refresh_dependencies()
        return res
