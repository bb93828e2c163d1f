# The commands a user runs; each one sets up what it needs (virtualenv,
# PostgreSQL role) through tools/harness.py.  Odoo 18.0 is looked for at
# $(ODOO_PATH) (default /opt/odoo), Odoo 19.0 at $(ODOO19_PATH) (default /opt/odoo19).
# `make test` runs on both, one after the other; the other commands on
# $(ODOO_VERSION) (default 18.0), e.g. `ODOO_VERSION=19.0 make demo`.
PYTHON ?= python3
HARNESS = $(PYTHON) tools/harness.py

.PHONY: test test-all demo lint setup unit odoo-tests e2e bench bench-quick peer neighbours uninstall i18n-check clean

test:            ## every test on Odoo 18.0 and then on Odoo 19.0 (one summary per version and a
                 ## total): lint, unit, Odoo (per addon, together), translations, demo install,
                 ## Odoo's own crm/sales_team/website_crm_partner_assign tests next to ours,
                 ## neighbour addons, uninstall, upgrade, end-to-end; ODOO_VERSION=19.0: one only
	$(HARNESS) test

test-all:        ## the same as `make test` (both versions)
	$(HARNESS) test --odoo-version 18.0 --odoo-version 19.0

demo:            ## recreate database lead_demo with demo data and serve it on :8069
                 ## (ODOO_VERSION=19.0: lead_demo19 on Odoo 19.0)
	$(HARNESS) demo

lint:            ## ruff (lint + format check)
	$(HARNESS) lint

setup:           ## only the virtualenv, PostgreSQL role and chromium
	$(HARNESS) setup

unit:
	$(HARNESS) test --only unit

odoo-tests:
	$(HARNESS) test --only odoo

e2e:
	$(HARNESS) test --only e2e

peer:            ## Odoo's own tests of crm, sales_team, website_crm_partner_assign next to ours
	$(HARNESS) test --only peer

neighbours:      ## ours installed with Odoo's CRM neighbour addons, crm's tours there
	$(HARNESS) test --only neighbours

uninstall:       ## uninstalling our addons leaves nothing of theirs in the database
	$(HARNESS) test --only uninstall

i18n-check:      ## the committed .pot files equal a fresh export, de.po translates them
	$(HARNESS) test --only i18n

bench:           ## every benchmark, one table (ours vs crm only); quick: make bench ARGS=--quick
	$(HARNESS) bench $(ARGS)

bench-quick:     ## the benchmarks with smaller sizes (under 5 minutes)
	$(HARNESS) bench --quick $(ARGS)

clean:
	rm -rf .venv .logs .odoo-data
