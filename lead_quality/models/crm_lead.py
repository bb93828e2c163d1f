# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import sql

from ..lib import quality_scoring
from ..lib.odoo_compat import setup_models
from .lead_quality_rank import OFFER_TYPES
from .res_company import GRADE_SELECTION

# Field types a medium may require on a lead (see utm.medium.lead_required_field_ids).
QUALITY_REQUIRED_FIELD_TYPES = (
    "char",
    "text",
    "html",
    "selection",
    "many2one",
    "many2many",
    "date",
    "datetime",
    "integer",
    "float",
    "monetary",
)
# Technical fields that never count as lead information.
QUALITY_EXCLUDED_FIELDS = {
    "id",
    "create_date",
    "create_uid",
    "write_date",
    "write_uid",
    "display_name",
    "company_id",
    "medium_id",
    "offer_type",
    "data_verified_date",
    "touch_medium_ids",
}
# Fields whose value Odoo itself flags as invalid: (field, flag field).
QUALITY_FLAGGED_FIELDS = {"email_from": "email_state", "phone": "phone_state"}


class CrmLead(models.Model):
    """Lead quality: the medium's rank for the offer type, completeness and freshness of the
    data, the media that touched the contact, the score and grade computed from them, the
    readiness for distribution, and the verdict of sales. Data maintenance (stewards,
    credited acts) is in ``crm_lead_data_maintenance.py``."""

    _inherit = "crm.lead"

    # the fields _compute_quality sets, and the stored inputs it reads
    _QUALITY_CHAIN_FIELDS = (
        "quality_rank",
        "is_data_stale",
        "quality_score",
        "quality_grade",
        "is_distribution_ready",
    )
    _QUALITY_CHAIN_INPUTS = (
        "company_id",
        "medium_id",
        "offer_type",
        "data_completeness",
        "data_verified_date",
        "touch_count",
    )

    offer_type = fields.Selection(
        selection=OFFER_TYPES,
        compute="_compute_offer_type",
        store=True,
        readonly=False,
        help="Standard or complex / individual offer. The media ranking depends on it: "
        "for complex offers events rank before telemarketing. Proposed by the sales team.",
    )
    quality_rank = fields.Integer(
        string="Media Rank",
        compute="_compute_quality",
        store=True,
        help="Effective quality rank of the lead's medium for its offer type (1 is best, 0 not "
        "ranked).",
    )
    data_completeness = fields.Integer(
        string="Data Completeness (%)",
        compute="_compute_data_completeness",
        store=True,
        aggregator="avg",
        help="Share of the fields required by the lead's medium that hold a usable value. "
        "An e-mail or phone number Odoo flags as invalid counts as missing.",
    )
    quality_missing_fields = fields.Char(
        string="Missing Information",
        compute="_compute_quality_missing_fields",
        help="Fields required by the lead's medium that are still empty or invalid.",
    )
    # No index: every index of crm_lead is paid on every write of a lead that changes an
    # indexed column (a stage change of 10,000 leads updates each index 10,000 times); only the
    # daily freshness cron filters on it (a sequential scan once a day).
    data_verified_date = fields.Date(
        string="Data Verified On",
        default=fields.Date.context_today,
        copy=False,
        help="When the lead and contact data were last entered or checked. Older data "
        "than the configured freshness age lowers the quality score.",
    )
    is_data_stale = fields.Boolean(
        string="Stale Data",
        compute="_compute_quality",
        store=True,
        help="The data was last verified longer ago than the configured freshness age.",
    )
    touch_medium_ids = fields.Many2many(
        comodel_name="utm.medium",
        relation="crm_lead_quality_touch_medium_rel",
        column1="lead_id",
        column2="medium_id",
        string="Touching Media",
        help="All media through which this contact reached us. Merging leads keeps all of them; "
        "each extra medium adds a score bonus.",
    )
    # stored: the score reads it with the lead's row (no read of the media relation when only
    # the company of a lead changes, as on every assignment)
    touch_count = fields.Integer(
        string="Media Touches",
        compute="_compute_touch_count",
        store=True,
        help="Number of distinct media that reached this contact.",
    )
    quality_score = fields.Integer(
        compute="_compute_quality",
        store=True,
        aggregator="avg",
        help="Lead quality 0-100 from media rank, data completeness, freshness and media touches, "
        "weighted as set in the CRM settings.",
    )
    quality_grade = fields.Selection(
        selection=GRADE_SELECTION,
        compute="_compute_quality",
        store=True,
        help="A (best) to D from the quality score and the thresholds in the CRM settings.",
    )
    is_distribution_ready = fields.Boolean(
        string="Ready for Distribution",
        compute="_compute_quality",
        store=True,
        help="Complete enough for its medium and graded at least the company's minimum grade: "
        "class, not mass.",
    )
    quality_readiness_note = fields.Text(
        string="Why Not Ready",
        compute="_compute_quality_readiness_note",
        help="What keeps the lead from distribution: the information its medium still needs "
        "and the completeness it requires, or a grade below the company's minimum.",
    )
    quality_feedback_ids = fields.One2many(
        comodel_name="lead.quality.feedback",
        inverse_name="lead_id",
        help="What salespeople said about the quality of this lead.",
    )
    quality_feedback_state = fields.Selection(
        selection=[("none", "No Feedback"), ("accepted", "Accepted"), ("rejected", "Rejected")],
        string="Sales Verdict",
        compute="_compute_quality_feedback_state",
        store=True,
        help="Latest verdict of sales on this lead's quality.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("team_id.lead_offer_type")
    def _compute_offer_type(self):
        for lead in self:
            lead.offer_type = lead.team_id.lead_offer_type or lead.offer_type or "standard"

    @api.depends(lambda self: self._quality_completeness_depends())
    def _compute_data_completeness(self):
        required = self._quality_required_by_medium()
        # leads whose medium requires nothing (or without medium) are complete: assigned at once
        complete = []
        for lead, medium_id in zip(
            self, self._quality_columns(["medium_id"])["medium_id"], strict=True
        ):
            fnames = required.get(medium_id, ())
            if not fnames:
                complete.append(lead.id)
                continue
            missing = lead._quality_missing(fnames)
            lead.data_completeness = quality_scoring.completeness(
                len(fnames), len(fnames) - len(missing)
            )
        self.browse(complete).data_completeness = quality_scoring.completeness(0, 0)

    @api.depends(lambda self: self._quality_completeness_depends())
    def _compute_quality_missing_fields(self):
        required = self._quality_required_by_medium()
        for lead in self:
            missing = lead._quality_missing(required.get(lead.medium_id.id, ()))
            labels = dict(required.get(lead.medium_id.id, ()))
            lead.quality_missing_fields = ", ".join(labels[fname] for fname in missing)

    @api.depends(
        "is_distribution_ready",
        "data_completeness",
        "quality_grade",
        "quality_missing_fields",
        "medium_id.min_completeness",
        "company_id",
    )
    def _compute_quality_readiness_note(self):
        for lead in self:
            lead.quality_readiness_note = "\n".join(lead._quality_readiness_reasons())

    # archived media do not count as touches (the relation leaves them out)
    @api.depends("touch_medium_ids", "touch_medium_ids.active", "medium_id")
    def _compute_touch_count(self):
        for lead in self:
            lead.touch_count = len(lead.touch_medium_ids | lead.medium_id)

    # One method for the chain rank -> freshness -> score -> grade -> readiness: one
    # loop and one parameter lookup per batch instead of five.
    @api.depends(
        "offer_type",
        "company_id",
        "medium_id.quality_rank",
        "medium_id.min_completeness",
        "medium_id.quality_rank_override_ids.rank",
        "medium_id.quality_rank_override_ids.offer_type",
        "medium_id.quality_rank_override_ids.company_id",
        "data_completeness",
        "data_verified_date",
        "touch_count",
    )
    def _compute_quality(self):
        columns = self._quality_columns(self._QUALITY_CHAIN_INPUTS)
        score = self._quality_scorer(self.medium_id, columns["company_id"])
        # leads with the same result are assigned together: one cache update per field and
        # distinct result instead of one per lead (bulk writes re-score many alike leads)
        results = defaultdict(list)
        for lead_id, company, medium_id, offer_type, completeness, verified, touches in zip(
            self._ids, *(columns[fname] for fname in self._QUALITY_CHAIN_INPUTS), strict=True
        ):
            result = score(company, medium_id, offer_type, completeness, verified, touches)
            results[result].append(lead_id)
        for (rank, stale, quality_score, grade, ready), ids in results.items():
            leads = self.browse(ids)
            leads.quality_rank = rank
            leads.is_data_stale = stale
            leads.quality_score = quality_score
            leads.quality_grade = grade
            leads.is_distribution_ready = ready

    @api.depends("quality_feedback_ids.verdict")
    def _compute_quality_feedback_state(self):
        for lead in self:
            feedbacks = lead.quality_feedback_ids
            lead.quality_feedback_state = (
                max(feedbacks, key=lambda f: f.id).verdict if feedbacks else "none"
            )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    # every medium a lead gets is a touch: touch_medium_ids kept up to date in batch
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("medium_id"):
                vals["touch_medium_ids"] = [
                    *vals.get("touch_medium_ids", []),
                    Command.link(vals["medium_id"]),
                ]
        leads = super().create(vals_list)
        # media set by defaults (e.g. UTM cookies) or computes: one write per medium
        lacking = leads.filtered(
            lambda lead: lead.medium_id and lead.medium_id not in lead.touch_medium_ids
        )
        for medium in lacking.medium_id:
            lacking.filtered(lambda lead, m=medium: lead.medium_id == m).write(
                {"touch_medium_ids": [Command.link(medium.id)]}
            )
        return leads

    def write(self, vals):
        if vals.get("medium_id"):
            vals = dict(
                vals,
                touch_medium_ids=[
                    *vals.get("touch_medium_ids", []),
                    Command.link(vals["medium_id"]),
                ],
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_quality_accept(self):
        """Salesperson accepts the lead(s) as good quality."""
        self.env["lead.quality.feedback"].create(
            [{"lead_id": lead.id, "verdict": "accepted"} for lead in self]
        )
        return True

    def action_quality_reject(self, reason_id, note=None):
        """Salesperson rejects the lead(s) with a reason (id of lead.quality.reject.reason)."""
        reason = (
            self.env["lead.quality.reject.reason"].browse(reason_id).exists() if reason_id else None
        )
        if not reason:
            raise UserError(self.env._("Choose an existing rejection reason to reject a lead."))
        self.env["lead.quality.feedback"].create(
            [
                {
                    "lead_id": lead.id,
                    "verdict": "rejected",
                    "reason_id": reason.id,
                    "note": note or False,
                }
                for lead in self
            ]
        )
        return True

    def action_open_quality_reject(self):
        """Open the rejection dialog (reason and note) for this lead."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Lead Quality"),
            "res_model": "lead.quality.feedback",
            "view_mode": "form",
            "views": [
                (self.env.ref("lead_quality.lead_quality_feedback_view_form_reject").id, "form")
            ],
            "target": "new",
            "context": {"default_lead_id": self.id, "default_verdict": "rejected"},
        }

    # ------------------------------------------------------------
    # BUSINESS: batch re-scoring
    # ------------------------------------------------------------

    @api.model
    def _quality_rescore_companies(self, companies):
        """Re-score, in batch, the leads of ``companies`` after their scoring settings changed."""
        domain = [("company_id", "in", companies.ids)]
        if self._quality_fallback_company() in companies:
            domain = ["|", ("company_id", "=", False), *domain]
        leads = self.with_context(active_test=False).sudo().search(domain)
        leads._quality_rescore_batch()
        return leads

    @api.model
    def _quality_rescore_pending(self):
        """Re-score now, in batch, every lead whose quality the ORM marked for recomputation.

        Called after a change that re-scores many leads at once (a medium's rank or minimum
        completeness, a rank override), so that only the leads whose values change are
        written (see :meth:`_quality_rescore_batch`).
        """
        leads = self.browse()
        for fname in self._QUALITY_CHAIN_FIELDS:
            leads |= self.env.records_to_compute(self._fields[fname])
        leads.sudo()._quality_rescore_batch()
        return leads

    def _quality_rescore_batch(self):
        """Recompute the quality chain (rank, staleness, score, grade, readiness) of ``self``
        through the ORM, for the re-scoring of many leads after a settings change or as time
        passes (freshness).

        The stored values are read first, then the chain is marked for recomputation and
        flushed: :meth:`_compute_quality` runs in batches and the ORM writes only the leads
        whose values change, with what the ORM does for a recomputed field (constraints,
        automated actions on the computed fields). Returns ``self``.
        """
        if not self:
            return self
        chain = [self._fields[fname] for fname in self._QUALITY_CHAIN_FIELDS]
        # the values as they are stored (the ORM compares the new values with the cache), and
        # the inputs, in one query instead of one per batch of the computation
        for field in chain:
            self.env.remove_to_compute(field, self)
        self.fetch([*self._QUALITY_CHAIN_FIELDS, *self._QUALITY_CHAIN_INPUTS])
        for field in chain:
            self.env.add_to_compute(field, self)
        self.flush_recordset(self._QUALITY_CHAIN_FIELDS)
        # what is computed from the chain without being stored (the readiness note, ...) is
        # read again; such fields are never pending a write
        self.invalidate_recordset(
            [fname for fname, field in self._fields.items() if field.compute and not field.store]
        )
        return self

    @api.model
    def _quality_today(self):
        """The day the age of a lead's verified data is counted to: today in UTC, the same for
        every user who triggers a re-score and for the daily freshness job (a lead's
        freshness does not depend on whose timezone recomputed it)."""
        return fields.Date.today()

    @api.model
    def _cron_quality_refresh_freshness(self):
        """Daily: leads whose data crossed the freshness age become stale and lose score."""
        today = self._quality_today()
        leads = self.browse()
        fallback = self._quality_fallback_company()
        # only the companies that still have fresh leads (leads without company: main company)
        groups = (
            self.sudo()
            .with_context(active_test=False)
            ._read_group([("is_data_stale", "=", False)], ["company_id"])
        )
        companies = self.env["res.company"].sudo()
        for [company] in groups:
            companies |= company or fallback
        for company in companies:
            limit_date = today - timedelta(days=company.lead_quality_freshness_days)
            company_domain = [("company_id", "=", company.id)]
            if company == fallback:
                company_domain = ["|", ("company_id", "=", False), *company_domain]
            leads |= (
                self.sudo()
                .with_context(active_test=False)
                .search(
                    [
                        *company_domain,
                        ("is_data_stale", "=", False),
                        "|",
                        ("data_verified_date", "<", limit_date),
                        ("data_verified_date", "=", False),
                    ]
                )
            )
        leads._quality_rescore_batch()
        return leads

    # ------------------------------------------------------------
    # MERGE: keep all touching media
    # ------------------------------------------------------------

    def _merge_get_fields_specific(self):
        res = super()._merge_get_fields_specific()
        res["touch_medium_ids"] = lambda fname, leads: [
            Command.set((leads.touch_medium_ids | leads.medium_id).ids)
        ]
        return res

    # ------------------------------------------------------------
    # TOOLS
    # ------------------------------------------------------------

    @api.model
    def _quality_candidate_field_names(self):
        """Names of crm.lead fields a medium may require (stored lead information)."""
        names = set()
        for name, field in self._fields.items():
            if (
                not field.store
                or field.type not in QUALITY_REQUIRED_FIELD_TYPES
                or name in QUALITY_EXCLUDED_FIELDS
                or name.startswith(("message_", "activity_", "quality_", "is_"))
            ):
                continue
            # Our own addons' fields (distribution state, stewards ...) are workflow data,
            # not lead information: depending on them would re-score a lead on every
            # distribution step, and computed ones could form dependency cycles.
            if (field._module or "").startswith("lead_"):
                continue
            # computed fields only when editable
            if field.compute and field.readonly:
                continue
            names.add(name)
        return names

    @api.model
    def _quality_required_field_names(self):
        """Names of the lead fields that some medium (active or archived) requires.

        Read from the database, so that it also works while the registry is being set up
        (see :meth:`_quality_completeness_depends`); before the module's tables exist
        (first setup of an install) nothing is required yet.
        """
        cr = self.env.cr
        if not sql.table_exists(cr, "utm_medium_lead_required_field_rel"):
            return set()
        cr.execute(
            """
            SELECT DISTINCT field.name
              FROM utm_medium_lead_required_field_rel rel
              JOIN ir_model_fields field ON field.id = rel.field_id
             WHERE field.model = 'crm.lead'
            """
        )
        candidates = self._quality_candidate_field_names()
        return {name for (name,) in cr.fetchall() if name in candidates}

    def _quality_completeness_depends(self):
        """Dependencies of the completeness: the medium, its required fields, and only the
        lead fields that some medium requires (with Odoo's validity flag of e-mail and phone).

        A write of any other lead field (stage, salesperson, team, probability ...) must not
        re-run completeness, score, grade and readiness. Which fields are required is data
        (``utm.medium.lead_required_field_ids``), while the ORM's recomputation triggers are
        built from these dependencies once, when the registry is set up: the list is read
        from the database at that moment, and a change of the required fields that adds a
        field no medium required before sets the registry up again
        (:meth:`_quality_refresh_dependencies`). The leads of a medium whose required fields
        change are recomputed through ``medium_id.lead_required_field_ids``.
        """
        required = self._quality_required_field_names()
        return [
            "medium_id",
            "medium_id.lead_required_field_ids",
            *sorted(required),
            *sorted(flag for fname, flag in QUALITY_FLAGGED_FIELDS.items() if fname in required),
        ]

    @api.model
    def _quality_refresh_dependencies(self):
        """Rebuild the ORM's triggers of the completeness after required fields changed.

        Why a registry set-up and not an explicit re-score: an explicit re-score corrects the
        leads once, but the next write of a newly required field (from a form, an import, a
        related or computed field such as the company name from the customer) would again
        not be seen, in this worker and in every other one. The triggers belong to the
        registry, so the registry is set up again, the way Odoo does it when a custom field
        or a model's order changes (``ir.model.fields`` / ``ir.model``): pending changes are
        flushed, :meth:`odoo.modules.registry.Registry.setup_models` rebuilds the fields and
        their triggers in this worker, and marks the registry invalidated, so that the other
        workers load it again after this transaction commits (on a rollback Odoo sets the
        registry up again from the committed data). That is costly, so it only happens when
        the set of required fields no longer matches the triggers; adding or removing a field
        that another medium requires as well costs nothing. While modules are being loaded
        the registry is not ready and nothing is done: loading ends with a set-up of its own.
        """
        registry = self.env.registry
        if not registry.ready:
            return False
        self.env.flush_all()
        field = self._fields["data_completeness"]
        if set(registry.field_depends[field]) == set(self._quality_completeness_depends()):
            return False
        setup_models(registry, self.env.cr)
        return True

    def _quality_fallback_company(self):
        """The main company (scoring settings of leads without company), else the first one.
        Looked up in the cached XML ids (``env.ref`` would query its existence every time)."""
        company_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "base.main_company", raise_if_not_found=False
        )
        companies = self.env["res.company"]
        return companies.browse(company_id) if company_id else companies.search([], limit=1)

    def _quality_params_by_company(self):
        """{company id: scoring params} of the companies of ``self``.

        Leads without a company are scored with the main company's settings (key False).
        """
        fallback = self._quality_fallback_company().sudo()
        companies = self.company_id.sudo() | fallback
        params = {company.id: company._lead_quality_params() for company in companies}
        params[False] = params[fallback.id] if fallback else dict(quality_scoring.DEFAULT_PARAMS)
        return params

    def _quality_required_by_medium(self):
        """Required fields of the media of ``self``: {medium id: ((name, label), ...)}.

        Which fields a medium requires is configuration (a relation to ``ir.model.fields``,
        which salespeople may not read): read with sudo. The labels come from the registry's
        field metadata, in the user's language, as in the form.
        """
        return {
            medium.id: tuple(
                (field.name, self._fields[field.name]._description_string(self.env))
                for field in medium.lead_required_field_ids
                if field.name in self._fields
            )
            for medium in self.medium_id.sudo()
        }

    def _quality_missing(self, required):
        """Names of the ``required`` ((name, label), ...) fields without a usable value."""
        self.ensure_one()
        missing = []
        for fname, _label in required:
            flag = QUALITY_FLAGGED_FIELDS.get(fname)
            if not self[fname] or (flag and self[flag] == "incorrect"):
                missing.append(fname)
        return missing

    def _quality_readiness_reasons(self):
        """Why this lead is not ready for distribution: one sentence per unmet condition
        (empty when it is ready). Shown on the form's Lead Quality page."""
        self.ensure_one()
        if self.is_distribution_ready:
            return []
        params = self._quality_params_by_company()
        min_grade = params.get(self.company_id.id, params[False])["min_grade"]
        medium = self.medium_id.sudo()
        reasons = []
        for kind, value, minimum in quality_scoring.readiness_blockers(
            self.data_completeness, medium.min_completeness, self.quality_grade, min_grade
        ):
            if kind == "completeness":
                reasons.append(
                    self.env._(
                        "Data completeness is %(value)s %% and the medium %(medium)s requires "
                        "%(minimum)s %%. Missing: %(missing)s.",
                        value=value,
                        minimum=minimum,
                        medium=medium.display_name,
                        missing=self.quality_missing_fields or "-",
                    )
                )
            else:
                reasons.append(
                    self.env._(
                        "Grade %(grade)s is below the minimum grade %(minimum)s for "
                        "distribution (quality score %(score)s of 100).",
                        grade=value or "-",
                        minimum=minimum,
                        score=self.quality_score,
                    )
                )
        return reasons

    @api.model
    def _quality_scorer(self, media, company_ids):
        """Scoring function for leads of ``media`` and ``company_ids`` (ids, None allowed).

        Returns ``score(company_id, medium_id, offer_type, completeness, verified_date,
        touch_count) -> (rank, stale, score, grade, ready)``, the whole quality chain of one
        lead, with the media, overrides and company settings looked up once for the batch.
        The ORM compute and the set-based re-score both use it.
        """
        media = media.sudo()
        medium_values = {
            medium.id: (medium.quality_rank, medium.min_completeness) for medium in media
        }
        overrides = self._quality_rank_overrides(media)
        params = self.browse()._quality_params_by_company()
        for company in (
            self.env["res.company"].sudo().browse({id_ for id_ in company_ids if id_} - set(params))
        ):
            params[company.id] = company._lead_quality_params()
        today = self._quality_today()
        # leads of a batch share their inputs (bulk writes, imports): each distinct input once
        results = {}

        def score(company_id, medium_id, offer_type, completeness, verified, touch_count):
            key = (company_id, medium_id, offer_type, completeness, verified, touch_count)
            if key not in results:
                results[key] = _score(*key)
            return results[key]

        def _score(company_id, medium_id, offer_type, completeness, verified, touch_count):
            company_id = company_id or False
            medium_rank, min_completeness = medium_values.get(medium_id, (0, 0))
            rank = overrides.get(
                (medium_id, offer_type, company_id),
                overrides.get((medium_id, offer_type, False), medium_rank),
            )
            return (
                rank,
                *quality_scoring.lead_quality(
                    rank,
                    completeness or 0,
                    (today - verified).days if verified else None,
                    # rows inserted by code that does not know this addon have no count
                    touch_count or 0,
                    min_completeness,
                    params[company_id],
                ),
            )

        return score

    def _quality_columns(self, fnames):
        """{field name: [value per record of ``self``]} in cache form (ids for relations).

        Read column by column (pending computations done, missing values fetched in one query
        per prefetch group): far cheaper than reading field by field on each record.
        """
        cache = self.env.cache
        columns = {}
        for fname in fnames:
            self.mapped(fname)
            columns[fname] = list(cache.get_values(self, self._fields[fname]))
        return columns

    @api.model
    def _quality_rank_overrides(self, media):
        """{(medium id, offer type, company id or False): rank} of the overrides of ``media``.

        Overrides of every company are read: a score must not depend on who triggers it.
        """
        return {
            (override.medium_id.id, override.offer_type, override.company_id.id): override.rank
            for override in media.sudo().quality_rank_override_ids
        }
