"""The organisation of the page tests (tests/conftest.py), for this app's tests too."""

from tests.conftest import org  # noqa: F401
