"""pytest configuration shared by the whole repository.

The addons are Python packages that can only be imported inside Odoo (as
``odoo.addons.<name>``).  Their pure-Python unit tests (``<addon>/tests/unit``)
run without Odoo, so pytest must not import the addon packages on the way: it
collects an addon directory as a plain directory, unless pytest-odoo is active
(it imports addons the Odoo way itself).
"""

import pytest


def pytest_collect_directory(path, parent):
    if parent.config.pluginmanager.hasplugin("odoo"):
        return None
    in_addon = (path / "__manifest__.py").exists() or (path.parent / "__manifest__.py").exists()
    if in_addon and (path / "__init__.py").exists():
        return pytest.Dir.from_parent(parent, path=path)
    return None
