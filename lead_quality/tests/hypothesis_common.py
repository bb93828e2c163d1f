# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Hypothesis in database tests: where SQL implements a rule of ``lib/`` (a report's view,
the lock of a batch), a test checks the SQL against the Python rule on random data.

Each example writes its records in a savepoint that is rolled back at its end, so that the
examples do not see each other's records. Used by lead_quality and lead_distribution.
"""

from contextlib import closing

from hypothesis import HealthCheck, settings

#: few examples (each one writes records); the same ones on every run (a failure comes back
#: when the test runs again); no example database written into the source tree
DB_EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def rolled_back(env):
    """A savepoint rolled back when the ``with`` block ends, the ORM's pending changes and
    caches dropped with it."""
    return closing(env.cr.savepoint())
