# The commands a user runs; each one sets up what it needs (virtualenv,
# PostgreSQL role) through tools/harness.py.  Odoo 18 is looked for at
# $(ODOO_PATH) (default /opt/odoo).
PYTHON ?= python3
HARNESS = $(PYTHON) tools/harness.py

.PHONY: test demo lint setup unit odoo-tests e2e clean

test:            ## every test: unit, Odoo (per addon), demo install, end-to-end
	$(HARNESS) test

demo:            ## recreate database lead_demo with demo data and serve it on :8069
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

clean:
	rm -rf .venv .logs .odoo-data
