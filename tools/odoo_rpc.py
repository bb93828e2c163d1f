"""Clients of Odoo's external API, as an integrator writes them (used by the end-to-end tests).

- Odoo 18.0: XML-RPC (``/xmlrpc/2/common``, ``/xmlrpc/2/object``, login and password).
- Odoo 19.0: JSON-2 (``POST /json/2/<model>/<method>`` with an API key, named arguments,
  ``ids`` for the records); 19.0 deprecates XML-RPC and ``/jsonrpc``.  Odoo 19.0 gives API
  keys to internal users only: a portal user (a sales partner's integration) stays on XML-RPC.

Both clients have ``call(model, method, *args, **kwargs)`` with XML-RPC's ``execute_kw``
arguments (the records' ids first for a record method) and raise RpcError on an error answer.
"""

import xmlrpc.client

import requests


class RpcError(Exception):
    """An error answer: `name` the Odoo exception (e.g. ``odoo.exceptions.AccessError``),
    `message` its text, followed by the server's traceback where it sends one."""

    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name, self.message = name, message

    @property
    def is_access_error(self):
        return self.name == "odoo.exceptions.AccessError"


# XML-RPC fault codes of Odoo (odoo/service/wsgi_server.py)
_XMLRPC_FAULTS = {
    2: "odoo.exceptions.UserError",
    3: "odoo.exceptions.AccessDenied",
    4: "odoo.exceptions.AccessError",
}


class XmlRpcClient:
    """XML-RPC: what an integrator writes with xmlrpc.client (Odoo 18.0)."""

    protocol = "xmlrpc"

    def __init__(self, url, db, login, password, log=None):
        self.url, self.db, self.login, self.password = url, db, login, password
        self.log = log  # the server's log file
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.version = common.version()
        self.uid = common.authenticate(db, login, password, {})
        if not self.uid:
            raise RuntimeError(f"login {login!r} refused")
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
        # the users' groups: Odoo 19.0 renamed res.users.groups_id to group_ids
        self.groups_field = (
            "groups_id" if self.version["server_version_info"][0] < 19 else "group_ids"
        )

    def call(self, model, method, *args, **kwargs):
        try:
            return self.models.execute_kw(
                self.db, self.uid, self.password, model, method, list(args), kwargs
            )
        except xmlrpc.client.Fault as fault:
            name = _XMLRPC_FAULTS.get(fault.faultCode, "odoo.exceptions.Error")
            raise RpcError(name, fault.faultString) from None

    def as_user(self, login, password):
        return XmlRpcClient(self.url, self.db, login, password, self.log)


# Named parameters of the methods we call (JSON-2 takes named arguments only): for each,
# whether it runs on records (the first positional argument: their ids) and the names of the
# further positional arguments.  Odoo's ORM methods and our documented public methods.
JSON2_SIGNATURES = {
    # ORM
    "create": (False, ["vals_list"]),
    "read": (True, ["fields"]),
    "write": (True, ["vals"]),
    "unlink": (True, []),
    "search": (False, ["domain", "offset", "limit", "order"]),
    "search_read": (False, ["domain", "fields", "offset", "limit", "order"]),
    "search_count": (False, ["domain", "limit"]),
    "read_group": (False, ["domain", "fields", "groupby", "offset", "limit", "orderby", "lazy"]),
    "name_create": (False, ["name"]),
    "check_object_reference": (False, ["module", "xml_id"]),
    "set_param": (False, ["key", "value"]),
    "get_wkhtmltopdf_state": (False, []),
    "method_direct_trigger": (True, []),
    "action_merge": (True, []),
    # lead_quality
    "action_quality_accept": (True, []),
    "action_quality_reject": (True, ["reason_id", "note"]),
    "action_mark_data_verified": (True, []),
    # lead_distribution
    "action_distribute": (True, []),
    "action_partner_accept": (True, []),
    "action_partner_decline": (True, ["reason", "reason_id"]),
    "action_partner_contacted": (True, ["note"]),
    "action_partner_won": (True, ["amount", "note"]),
    "action_partner_lost": (True, ["lost_reason_id", "note"]),
    # lead_reporting
    "action_confirm": (True, []),
    "action_replan": (True, ["reason"]),
    "action_close": (True, []),
    "action_revise_kpi": (True, ["values", "reason"]),
    "action_apply": (True, []),
    "get_plan_vs_actual": (True, []),
    "get_campaign_kpis": (True, []),
}


class Json2Client:
    """JSON-2 with an API key (Odoo 19.0).  The key is made the way a user makes one in
    *Preferences > Account Security > New API Key* (the web client's session, the identity
    check with the password); after that, every call is a JSON-2 request with the key."""

    protocol = "json2"

    def __init__(self, url, db, login, password, log=None):
        self.url, self.db, self.login, self.password = url, db, login, password
        self.log = log
        self.groups_field = "group_ids"
        session = requests.Session()
        self.version = self._jsonrpc(session, "/web/webclient/version_info", {})
        answer = self._jsonrpc(
            session,
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )
        self.uid = answer.get("uid")
        if not self.uid:
            raise RuntimeError(f"login {login!r} refused")
        self.key = self._make_key(session)
        self.http = requests.Session()
        self.http.headers.update({"Authorization": f"bearer {self.key}", "X-Odoo-Database": db})

    def _jsonrpc(self, session, path, params):
        response = session.post(
            f"{self.url}{path}", json={"jsonrpc": "2.0", "method": "call", "params": params}
        )
        response.raise_for_status()
        answer = response.json()
        if "error" in answer:
            data = answer["error"].get("data", {})
            raise RpcError(data.get("name", "error"), data.get("message", str(answer["error"])))
        return answer["result"]

    def _make_key(self, session):
        def call_kw(model, method, args, kwargs=None):
            return self._jsonrpc(
                session,
                f"/web/dataset/call_kw/{model}/{method}",
                {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
            )

        description = call_kw(
            "res.users.apikeys.description", "create", [{"name": "end-to-end tests"}]
        )
        description = description[0] if isinstance(description, list) else description
        action = call_kw("res.users.apikeys.description", "make_key", [[description]])
        if action.get("res_model") == "res.users.identitycheck":
            action = call_kw(
                "res.users.identitycheck",
                "run_check",
                [[action["res_id"]]],
                {"context": {"password": self.password}},
            )
        return action["context"]["default_key"]

    def call(self, model, method, *args, **kwargs):
        on_records, names = JSON2_SIGNATURES.get(method, (bool(args), []))
        body = {}
        if on_records:
            ids, *args = args
            body["ids"] = [ids] if isinstance(ids, int) else list(ids)
        if len(args) > len(names):
            raise TypeError(f"{method}: name the arguments for JSON-2 ({len(args)} positional)")
        body.update(zip(names, args, strict=False))
        body.update(kwargs)
        response = self.http.post(f"{self.url}/json/2/{model}/{method}", json=body)
        if response.status_code >= 400:
            try:
                error = response.json()
            except ValueError:
                raise RpcError(f"HTTP {response.status_code}", response.text) from None
            message = error.get("message", "")
            if error.get("debug"):
                message = f"{message}\n{error['debug']}"
            raise RpcError(error.get("name", f"HTTP {response.status_code}"), message)
        result = response.json()
        if method == "create" and isinstance(args[0] if args else None, dict):
            return result[0]  # one record created: its id, as over XML-RPC
        return result

    def as_user(self, login, password):
        """Another user's client: JSON-2 for internal users, XML-RPC for portal users (no API
        key for them on Odoo 19.0)."""
        internal = self.call(
            "res.users",
            "search_count",
            [("login", "=", login), ("share", "=", False)],
            context={"active_test": False},
        )
        client = Json2Client if internal else XmlRpcClient
        return client(self.url, self.db, login, password, self.log)


def client_for(server_major):
    """The client class an integrator uses on Odoo `server_major` (18, 19)."""
    return Json2Client if server_major >= 19 else XmlRpcClient
