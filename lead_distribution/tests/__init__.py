from . import (
    test_claims,
    test_concurrency,
    test_distribution,
    test_distribution_contract,
    test_install,
    test_lifecycle,
    test_log_history,
    test_portal,
    test_security,
    test_ui,
    test_visibility,
)
