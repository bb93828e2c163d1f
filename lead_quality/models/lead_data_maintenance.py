# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import SUPERUSER_ID, api, fields, models
from odoo.tools import SQL

from ..lib import data_maintenance as dm

#: context key that switches the recording off (merges, server actions,
#: record creation, benchmarks)
NO_CREDIT_KEY = "lead_data_maintenance_skip"

#: context keys that mark a write as not made by a person at a form:
#: module install/update, base_import, cron jobs (Odoo 18 `ir.cron._run_job`
#: sets `cron_id`, `method_direct_trigger` sets `ir_cron_progress_id`)
NO_CREDIT_CONTEXT_KEYS = (
    NO_CREDIT_KEY,
    "install_mode",
    "import_file",
    "cron_id",
    "ir_cron_progress_id",
)

#: first key of the advisory lock that serialises one user's bulk edits (second key: user id)
BULK_LOCK_KEY = 0x4C444D42  # "LDMB"

MAINTAINED_MODELS = [("crm.lead", "Lead/Opportunity"), ("res.partner", "Contact")]


class LeadDataMaintenance(models.Model):
    _name = "lead.data.maintenance"
    _description = "Data Maintenance Act"
    _order = "date desc, id desc"
    _rec_name = "field_name"
    # append-only log written by the system: user_id and date say who and
    # when; no create/write user columns (and their foreign-key checks)
    _log_access = False

    user_id = fields.Many2one(
        "res.users",
        string="Credited User",
        required=True,
        ondelete="cascade",
        readonly=True,
        help="User who completed, corrected or verified the data and receives the points.",
    )
    res_model = fields.Selection(
        MAINTAINED_MODELS,
        string="Record Type",
        required=True,
        readonly=True,
        help="Kind of record whose data was maintained: a lead/opportunity or a contact.",
    )
    res_id = fields.Many2oneReference(
        string="Record ID",
        model_field="res_model",
        required=True,
        readonly=True,
        help="Database id of the maintained lead or contact.",
    )
    res_name = fields.Char(
        string="Record",
        compute="_compute_res_name",
        help="Name of the maintained lead or contact.",
    )
    field_name = fields.Char(
        string="Field",
        required=True,
        readonly=True,
        help="Technical name of the maintained field; 'data_verified_date' for a "
        "confirmation of the whole record with the Data verified button.",
    )
    field_label = fields.Char(
        compute="_compute_field_label",
        help="Label of the maintained field as shown on the form.",
    )
    kind = fields.Selection(
        [
            (dm.COMPLETED, "Completed"),
            (dm.CORRECTED, "Corrected"),
            (dm.VERIFIED, "Verified"),
        ],
        required=True,
        readonly=True,
        help="Completed: an empty field was filled. Corrected: a value was replaced by "
        "another. Verified: the data was confirmed unchanged with the Data verified button.",
    )
    points = fields.Integer(
        required=True,
        readonly=True,
        aggregator="sum",
        help="Points credited for this act, from the points per kind in the CRM settings "
        "at the time of the act.",
    )
    date = fields.Date(
        required=True,
        readonly=True,
        default=fields.Date.context_today,
        help="Day of the act; at most one act per user, record and field is credited per day.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        help="Company of the maintained record.",
    )
    is_bulk = fields.Boolean(
        string="Bulk Edit",
        readonly=True,
        help="Credited for a write over several records at once (e.g. a mass edit in a list). "
        "Such acts count against the daily limit of bulk acts in the CRM settings.",
    )

    def init(self):
        # the day limit: at most one act per user, record, field and day;
        # _credit() inserts with ON CONFLICT DO NOTHING against this index
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS lead_data_maintenance_day_limit_uniq
            ON lead_data_maintenance (user_id, date, res_model, res_id, field_name)
            """
        )
        # the acts of one record (Maintenance button on leads and contacts)
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS lead_data_maintenance_record_idx
            ON lead_data_maintenance (res_model, res_id)
            """
        )

    @api.depends("res_model", "res_id")
    def _compute_res_name(self):
        ids_by_model = {}
        for act in self:
            ids_by_model.setdefault(act.res_model, set()).add(act.res_id)
        names = {}
        for model, ids in ids_by_model.items():
            if not model:
                continue
            records = self.env[model].browse(list(ids)).sudo().exists()
            names.update({(model, rec.id): rec.display_name for rec in records})
        for act in self:
            act.res_name = names.get((act.res_model, act.res_id), False)

    @api.depends("res_model", "field_name")
    def _compute_field_label(self):
        for act in self:
            field = act.res_model and self.env[act.res_model]._fields.get(act.field_name)
            act.field_label = field.get_description(self.env)["string"] if field else False

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------
    # Recording (called from the write() of crm.lead and res.partner)
    # ------------------------------------------------------------------
    @api.model
    def _is_creditable_env(self, env):
        """Whether writes made in ``env`` earn maintenance credit.

        No credit for the superuser, sudo'ed code, portal/public users, module
        installs, imports, cron jobs, merges and server actions (these last two
        set NO_CREDIT_KEY, see crm.lead, the partner merge wizard and
        ir.actions.server)."""
        if env.su or env.uid == SUPERUSER_ID:
            return False
        context = env.context
        if any(context.get(key) for key in NO_CREDIT_CONTEXT_KEYS):
            return False
        return env.user._is_internal()

    @api.model
    def _write_snapshot(self, records, vals):
        """The :meth:`_snapshot` before a write of ``vals`` on ``records`` (leads, contacts),
        or None: only a write of a field some company maintains (or of the verification
        date) can earn anything; any other write (stage, salesperson, team ...) costs no
        query here."""
        companies = self.env["res.company"]
        if dm.VERIFIED_FIELD in vals or not companies._data_maintenance_watched_fields(
            records._name
        ).isdisjoint(vals):
            return self._snapshot(records, vals)
        return None

    @api.model
    def _mark_verified(self, records):
        """The Data verified button of leads and contacts: their data confirmed today.

        Credits a ``verified`` act only where the verification was due and the user is the
        salesperson or data steward; otherwise the data is marked verified all the same and
        a notification says that no points were credited."""
        records.write({dm.VERIFIED_FIELD: self._credit_today()})
        return self._verification_feedback(records)

    @api.model
    def _count_by_record(self, records):
        """{record id: number of the credited acts on ``records`` that the user may see}."""
        return dict(
            self._read_group(
                [("res_model", "=", records._name), ("res_id", "in", records.ids)],
                ["res_id"],
                ["__count"],
            )
        )

    @api.model
    def _action_of_record(self, record):
        """The Maintenance button of a lead or contact: the acts credited on it."""
        record.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "lead_quality.lead_data_maintenance_action"
        )
        action["domain"] = [("res_model", "=", record._name), ("res_id", "=", record.id)]
        action["context"] = {}
        return action

    @api.model
    def _credit_today(self):
        """Day of an act and of a "Data verified" confirmation: today in the user's time zone.

        Not in the time zone of the request's context: a client sends any ``tz`` and would
        move the day (and so the day limit) at will."""
        return fields.Date.context_today(self.with_context(tz=self.env.user.tz or "UTC"))

    @api.model
    def _maintained_fields(self, records, vals=None):
        """{company id: maintained fields of ``records``' model} (limited to ``vals`` if given).

        Each company's own list applies to its records (records without company: the user's
        main company, see ``_values``), never the current company of the request's context;
        companies without any (matching) maintained field are left out.
        Only plain stored columns qualify (their old and new values are read
        with one SQL query for the whole recordset)."""
        relation = {
            "crm.lead": "res_company_data_maintenance_lead_field_rel",
            "res.partner": "res_company_data_maintenance_partner_field_rel",
        }.get(records._name)
        by_company = defaultdict(set)
        if not relation or (vals is not None and not vals):
            return by_company
        self.env["res.company"].flush_model(
            ["data_maintenance_lead_field_ids", "data_maintenance_partner_field_ids"]
        )
        self.env.cr.execute(
            SQL(
                "SELECT r.company_id, f.name FROM %s r JOIN ir_model_fields f ON f.id = r.field_id"
                " %s ORDER BY f.name",
                SQL.identifier(relation),
                SQL("WHERE f.name = ANY(%s)", list(vals)) if vals is not None else SQL(),
            )
        )
        for company_id, name in self.env.cr.fetchall():
            field = records._fields.get(name)
            if (
                field
                and field.store
                and field.column_type
                and not field.company_dependent
                and not field.translate
            ):
                by_company[company_id].add(name)
        return by_company

    @api.model
    def _snapshot(self, records, vals):
        """Old values of the maintained fields about to be written, or None.

        Setting ``data_verified_date`` to today (the Data verified button) is a
        ``verified`` act for the whole record, credited only on the records whose
        verification was due and that the user is responsible for (decided here, on the
        values before the write)."""
        records = records.browse([id_ for id_ in records._ids if isinstance(id_, int)])
        if not records or not self._is_creditable_env(records.env):
            return None
        # confirming the data today (not back- or forward-dating it) is a verified act
        verified = (
            dm.VERIFIED_FIELD in records._fields
            and bool(vals.get(dm.VERIFIED_FIELD))
            and fields.Date.to_date(vals[dm.VERIFIED_FIELD]) == self._credit_today()
        )
        fields_by_company = self._maintained_fields(records, vals)
        if not fields_by_company and not verified:
            return None  # nothing maintained in any company: no need to read the records
        _none, companies = self._values(records, ())
        fields_by_company = {
            company_id: fields_by_company.get(company_id, set())
            for company_id in set(companies.values())
        }
        fnames = sorted(set().union(*fields_by_company.values()))
        if not fnames and not verified:
            return None
        old, _companies = self._values(records, fnames)
        return {
            "fnames": fnames,
            "fields_by_company": fields_by_company,
            "companies": companies,
            "old": old,
            "verified_ids": (
                self._verification_creditable_ids(records, companies) if verified else set()
            ),
            "bulk": len(records) > 1,
        }

    @api.model
    def _values(self, records, fnames):
        """``({(id, field): value}, {id: company id})`` as the ORM holds them.

        Values in cache form (ids for many2one, ``None`` for empty), the same before and after
        the write. Missing values are fetched once for all ``records`` (the columns mail
        tracking reads next anyway); values just written come from the cache: reading them
        back from the database would flush the written columns on their own, before the
        fields computed from them, and update the rows twice. Read as superuser: the write
        itself is checked by the ORM (access rights, rules). Records without company count
        as the user's main company."""
        records = records.sudo()
        cache = self.env.cache
        default_company_id = self.env.user.company_id.id
        values, companies = {}, {}
        for fname in (*fnames, "company_id"):
            field = records._fields[fname]
            records.mapped(fname)  # pending computations done, missing values fetched
            for record_id, value in zip(
                records._ids, cache.get_values(records, field), strict=True
            ):
                if fname == "company_id":
                    companies[record_id] = value or default_company_id
                else:
                    values[record_id, fname] = value
        return values, companies

    @api.model
    def _responsible_user_ids(self, records):
        """{record id: ids of the users responsible for its data}.

        A lead's salesperson and data steward; a contact's salesperson and data steward,
        and those of its company (commercial entity)."""
        records = records.sudo()
        fnames = [fname for fname in ("user_id", "data_steward_id") if fname in records._fields]
        result = {}
        for record in records:
            owners = [record]
            if records._name == "res.partner":
                owners.append(record.commercial_partner_id)
            result[record.id] = {owner[fname].id for owner in owners for fname in fnames} - {False}
        return result

    @api.model
    def _verification_creditable_ids(self, records, companies):
        """Ids of ``records`` whose confirmation today earns the user a verified act.

        Due (never verified, or the last verification, by date on the record or by a
        credited act of anyone, older than the data freshness age of the record's company)
        and the user is its salesperson or data steward. The credited acts count too: moving
        the verification date back cannot make a record due again."""
        records = records.sudo()
        self.flush_model(["res_model", "res_id", "kind", "date"])
        self.env.cr.execute(
            SQL(
                """
                SELECT res_id, max(date) FROM lead_data_maintenance
                 WHERE res_model = %s AND res_id = ANY(%s) AND kind = %s
                 GROUP BY res_id
                """,
                records._name,
                list(records.ids),
                dm.VERIFIED,
            )
        )
        last_credited = dict(self.env.cr.fetchall())
        freshness = {
            company.id: company._lead_quality_params()["freshness_days"]
            for company in self.env["res.company"].sudo().browse(set(companies.values()))
        }
        responsible = self._responsible_user_ids(records)
        today = self._credit_today()
        uid = self.env.uid
        return {
            record.id
            for record in records
            if dm.verification_creditable(
                uid,
                responsible[record.id],
                (record[dm.VERIFIED_FIELD], last_credited.get(record.id)),
                today,
                freshness[companies[record.id]],
            )
        }

    @api.model
    def _record_write(self, records, snapshot):
        """Credit the user for what changed between ``snapshot`` and now."""
        if not snapshot:
            return self.browse()
        records = records.browse([id_ for id_ in records._ids if isinstance(id_, int)])
        if records._name == "res.partner":
            # editing one's own contact card is no maintenance of customer data
            records -= self.env.user.partner_id
        if not records:
            return self.browse()
        fnames = snapshot["fnames"]
        new_values, _companies = self._values(records, fnames)
        old_values = snapshot["old"]
        changes = []
        for rec_id in records.ids:
            company_id = snapshot["companies"][rec_id]
            maintained = snapshot["fields_by_company"].get(company_id, ())
            for fname in fnames:
                if fname not in maintained:
                    continue
                old, new = old_values.get((rec_id, fname)), new_values[rec_id, fname]
                if dm.classify_change(old, new):
                    changes.append((records._name, rec_id, fname, old, new, company_id))
            if rec_id in snapshot["verified_ids"]:
                changes.append(dm.verified_change(records._name, rec_id, company_id))
        return self._credit(records, changes, bulk=snapshot["bulk"])

    @api.model
    def _bulk_credited(self, records, user_id, day):
        """``(day-limit keys of the user's acts today on records, {company id: bulk acts})``.

        Serialises the bulk edits of one user (transaction-level advisory lock), so that
        concurrent bulk writes cannot both stay under the daily limit."""
        self.flush_model()
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", BULK_LOCK_KEY, user_id))
        self.env.cr.execute(
            SQL(
                """
                SELECT res_id, field_name FROM lead_data_maintenance
                 WHERE user_id = %s AND date = %s AND res_model = %s AND res_id = ANY(%s)
                """,
                user_id,
                day,
                records._name,
                list(records.ids),
            )
        )
        existing = {
            dm.dedup_key(user_id, records._name, res_id, field_name, day)
            for res_id, field_name in self.env.cr.fetchall()
        }
        self.env.cr.execute(
            SQL(
                """
                SELECT company_id, count(*) FROM lead_data_maintenance
                 WHERE user_id = %s AND date = %s AND is_bulk
                 GROUP BY company_id
                """,
                user_id,
                day,
            )
        )
        return existing, dict(self.env.cr.fetchall())

    @api.model
    def _credit(self, records, changes, bulk=False):
        """Insert the acts of one write: one query per kind of act, whatever the record count.

        The day limit is enforced by the unique index (ON CONFLICT DO NOTHING),
        so earlier acts of the day need no look-up and concurrent writes
        cannot credit twice.  A write over several records (``bulk``) credits at most the
        daily limit of bulk acts of the record's company, counting the user's earlier bulk
        acts of the day.  Points follow the settings of the record's company.  Acts are
        append-only log rows without computed stored fields: a plain INSERT is what the ORM
        would do, minus its per-record overhead on bulk writes."""
        if not changes:
            return self.browse()
        user_id = records.env.uid
        day = self._credit_today()
        changes_by_company = defaultdict(list)
        for change in changes:
            changes_by_company[change[5]].append(change)
        existing, bulk_used = self._bulk_credited(records, user_id, day) if bulk else ((), {})
        acts = []
        for company in self.env["res.company"].sudo().browse(list(changes_by_company)):
            limit = (
                dm.bulk_allowance(
                    company.data_maintenance_bulk_daily_limit, bulk_used.get(company.id, 0)
                )
                if bulk
                else None
            )
            acts.extend(
                dm.plan_acts(
                    user_id,
                    day,
                    changes_by_company[company.id],
                    self._points_by_kind(company),
                    existing,
                    limit,
                )
            )
        # one INSERT per kind of act (model, field, kind, points, company): the record ids
        # travel as one integer array, not as one quoted value per act and column
        groups = defaultdict(list)
        for act in acts:
            key = (act["res_model"], act["field_name"], act["kind"], act["points"])
            groups[key, act["company_id"]].append(act["res_id"])
        act_ids = []
        for ((res_model, field_name, kind, points), company_id), res_ids in groups.items():
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO lead_data_maintenance
                        (user_id, res_model, res_id, field_name, kind, points, date, company_id,
                         is_bulk)
                    SELECT %(uid)s, %(res_model)s, res_id, %(field_name)s, %(kind)s,
                           %(points)s, %(day)s, %(company_id)s, %(bulk)s
                      FROM unnest(%(res_ids)s::int[]) AS res_id
                    ON CONFLICT DO NOTHING
                    RETURNING id
                    """,
                    uid=user_id,
                    res_model=res_model,
                    field_name=field_name,
                    kind=kind,
                    points=points,
                    day=day,
                    company_id=company_id,
                    bulk=bulk,
                    res_ids=res_ids,
                )
            )
            act_ids.extend(row[0] for row in self.env.cr.fetchall())
        return self.browse(act_ids)

    @api.model
    def _points_by_kind(self, company):
        company = company.sudo()
        return {
            dm.COMPLETED: company.data_maintenance_points_completed,
            dm.CORRECTED: company.data_maintenance_points_corrected,
            dm.VERIFIED: company.data_maintenance_points_verified,
        }

    @api.model
    def _verification_feedback(self, records):
        """What the Data verified button returns once ``records`` are marked verified.

        Nothing special when every record earned (or had already earned today) its verified
        act; otherwise a notification that the data is marked verified but without points,
        and why."""
        records = records.browse([id_ for id_ in records._ids if isinstance(id_, int)])
        if not records or not self._is_creditable_env(records.env):
            return True
        credited = self.sudo().search_count(
            [
                ("user_id", "=", self.env.uid),
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("kind", "=", dm.VERIFIED),
                ("date", "=", self._credit_today()),
            ]
        )
        missing = len(records) - credited
        if missing <= 0:
            return True
        if len(records) == 1:
            message = self.env._(
                "The data is marked as verified, without maintenance points: verifying earns "
                "points only when the data was due (never verified, or longer ago than the "
                "data freshness age) and only for its salesperson or data steward."
            )
        else:
            message = self.env._(
                "The data is marked as verified. %(missing)s of the %(total)s records earned "
                "no maintenance points: verifying earns points only when the data was due "
                "(never verified, or longer ago than the data freshness age) and only for its "
                "salesperson or data steward.",
                missing=missing,
                total=len(records),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Data Verified"),
                "message": message,
                "type": "info",
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
