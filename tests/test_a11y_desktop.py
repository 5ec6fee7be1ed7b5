"""The width-bound accessibility checks of test_a11y.py at desktop width (1280 px).

A module of its own so that a second test worker runs them beside the phone-width ones: opening every page
type with axe is the longest single part of the suite.  The checks, fixtures and helpers are test_a11y's.
"""

from __future__ import annotations

import pytest

from .test_a11y import (  # noqa: F401 - the fixtures and tests this module runs at its own width
    browser,
    served,
    test_axe_finds_no_serious_or_critical_violation,
    test_no_policy_violation_console_error_or_outside_request,
    test_search_results_are_accessible_and_within_the_policy,
    test_using_the_pages_stays_within_the_policy,
    visits,
    widths,
)

pytestmark = pytest.mark.browser
WIDTHS = (1280,)
