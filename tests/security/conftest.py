"""Fixtures for this package: the shared HTTP fixtures."""

from tests.http_fixtures import *  # noqa: F403
from tests.security.web_fixtures import *  # noqa: F403
