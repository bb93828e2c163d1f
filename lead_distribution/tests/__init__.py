from . import (
    test_concurrency,
    test_distribution,
    test_install,
    test_lifecycle,
    test_security,
    test_ui,
)
