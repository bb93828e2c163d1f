"""The addons ship the way OCA ships addons: each builds as a wheel with whool (its
pyproject.toml), the wheels install into a fresh virtualenv beside Odoo, and Odoo finds them
through the ``odoo.addons`` namespace, without this repository on its addons path, and
installs them in a fresh database."""

import glob
import os
import subprocess

import harness
import pytest

INSTALLED = ["lead_quality", "lead_distribution", "lead_reporting"]

# the wheels are Odoo 18.0 ones (pyproject.toml: [tool.whool] odoo_series_override)
pytestmark = pytest.mark.skipif(
    harness.ODOO_VERSION != "18.0",
    reason="the addons' wheels are built for Odoo 18.0 (odoo_series_override in pyproject.toml)",
)


def _run(cmd, **kwargs):
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        cmd, capture_output=True, text=True, env=env, check=False, timeout=1200, **kwargs
    )


def _purelib(python):
    result = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    """The four addons built as wheels (pip wheel --no-deps: whool is the build backend)."""
    tmp = tmp_path_factory.mktemp("wheels")
    python = harness.venv_python()
    probe = _run([python, "-m", "pip", "download", "--no-deps", "-d", str(tmp / "whool"), "whool"])
    if probe.returncode != 0:
        pytest.skip(f"whool (the build backend) cannot be obtained: {probe.stderr.strip()[-300:]}")
    dist = tmp / "dist"
    for addon in harness.ADDONS:
        result = _run(
            [
                python,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "-w",
                str(dist),
                os.path.join(harness.REPO, addon),
            ],
            cwd=str(tmp),
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return sorted(glob.glob(str(dist / "*.whl")))


@pytest.fixture(scope="module")
def fresh_env(wheels, tmp_path_factory):
    """A new virtualenv with the wheels; Odoo's source tree is on its path (like Odoo
    installed in it in development mode) and Odoo's libraries come from the project's
    virtualenv (a .pth file makes its site-packages a site directory of the new one), our
    addons only from the wheels."""
    root = tmp_path_factory.mktemp("venv")
    env_dir = root / "env"
    result = _run([harness.venv_python(), "-m", "venv", str(env_dir)])
    assert result.returncode == 0, result.stderr
    python = str(env_dir / "bin" / "python")
    site_dir = _purelib(python)
    with open(os.path.join(site_dir, "odoo_beside.pth"), "w", encoding="utf-8") as pth:
        # odoo as a regular package on the path: the wheels' odoo/addons directories are
        # then portions of its odoo.addons namespace, as in an Odoo installed with pip
        pth.write(f"{harness.odoo_path()}\n")
        pth.write(f"import site; site.addsitedir({_purelib(harness.venv_python())!r})\n")
    result = _run([python, "-m", "pip", "install", "--no-deps", "--no-index", *wheels])
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return python, site_dir, root


def test_each_addon_builds_as_an_odoo_addon_wheel(wheels):
    names = sorted(os.path.basename(path).split("-")[0] for path in wheels)
    assert names == sorted(f"odoo_addon_{addon}" for addon in harness.ADDONS)


def test_odoo_finds_the_addons_in_the_wheels(fresh_env):
    python, site_dir, root = fresh_env
    script = (
        "import odoo, json\n"
        "from odoo.modules.module import get_module_path\n"
        f"odoo.tools.config.parse_config(['--addons-path={harness.odoo_path()}/odoo/addons'])\n"
        f"print(json.dumps({{n: get_module_path(n) for n in {harness.ADDONS!r}}}))\n"
    )
    result = _run([python, "-c", script], cwd=str(root))
    assert result.returncode == 0, result.stderr[-2000:]
    import json

    paths = json.loads(result.stdout.strip().splitlines()[-1])
    for addon, path in paths.items():
        assert path == os.path.join(site_dir, "odoo", "addons", addon), (addon, path)
        assert not path.startswith(harness.REPO)


def test_addons_from_the_wheels_install_in_a_fresh_database(fresh_env):
    python, _site_dir, root = fresh_env
    database = harness.new_db_name("wheels")
    data_dir = root / "data"
    try:
        result = _run(
            [
                python,
                "-m",
                "odoo",
                f"--addons-path={harness.odoo_path()}/odoo/addons",
                f"--data-dir={data_dir}",
                f"--db_host={harness.pg_host()}",
                f"--db_port={harness.pg_port()}",
                f"--db_user={harness.db_user()}",
                "-d",
                database,
                "-i",
                "lead_reporting",
                "--without-demo=all",
                "--stop-after-init",
                f"--http-port={harness.free_port()}",
                "--gevent-port=0",
                "--log-level=warn",
            ],
            cwd=str(root),
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        rows = harness.query(
            database,
            "SELECT name, state FROM ir_module_module WHERE name = ANY(%s)",
            (INSTALLED,),
        )
        assert dict(rows) == dict.fromkeys(INSTALLED, "installed")
    finally:
        harness.drop_database(database)
