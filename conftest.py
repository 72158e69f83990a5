"""Factories shared by every test: real models through the real actions."""

from datetime import date
from decimal import Decimal

import pytest

from salesrelay.clients.actions import create_prospect
from salesrelay.deals.actions import LineInput, open_deal
from salesrelay.deals.models import Product
from salesrelay.people.actions import hire_employee

D = Decimal


class Company:
    """A small company built by tests: ``company.hunter("Anna")``, ``company.prospect(...)``."""

    def __init__(self):
        self.count = 0

    def employee(self, name, role, department, hired_on=date(2026, 1, 1), **extra):
        self.count += 1
        return hire_employee(name=name, email=f"e{self.count}@example.com", department=department,
                             role=role, hired_on=hired_on, acting_user=None,
                             username=extra.pop("username", None),
                             password=extra.pop("password", None), **extra)

    def hunter(self, name="Anna Hunter", **extra):
        return self.employee(name, "hunter", "acquisition", **extra)

    def manager(self, name="Mark Manager", **extra):
        return self.employee(name, "account_manager", "account_management", **extra)

    def product(self, sku="HB-170", price="78900.00", unit_cost="45800.00"):
        return Product.objects.create(sku=sku, name=sku, price=D(price), unit_cost=D(unit_cost))

    def prospect(self, name, hunter, created_on=date(2026, 1, 10), **extra):
        return create_prospect(name=name, segment=extra.pop("segment", "dealer"), hunter=hunter,
                               acting_user=None, created_on=created_on, **extra)

    def deal(self, client, owner, amount="100000.00", cost="60000.00", created_on=date(2026, 1, 10)):
        """A deal with one line worth ``amount`` at ``cost``."""
        product = Product.objects.filter(sku=f"P{amount}-{cost}").first() or self.product(
            f"P{amount}-{cost}", amount, cost)
        return open_deal(client=client, owner=owner, acting_user=None, created_on=created_on,
                         lines=[LineInput(product=product, quantity=D(1))])


@pytest.fixture
def company(db):
    return Company()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Logins in tests hash with a fast hasher; production keeps Django's default."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_login_lockout(settings):
    """Login throttling (django-axes) is off: ``client.login()`` gives axes no request to count.
    tests/test_production.py turns it on to lock a login for real."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _language_reset():
    """Each test starts in the default language: a request with ``Accept-Language: ru`` leaves
    Russian active in the test's thread (LocaleMiddleware never deactivates it), and the next
    test's messages would come out in Russian."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture
def reference_data(transactional_db):
    """What the data migrations wrote (role groups, pipeline stages, segments), written again: a
    transactional test that ran before may have emptied every table."""
    from importlib import import_module

    from django.apps import apps

    import_module("salesrelay.people.migrations.0002_role_groups").create_groups(apps, None)
    import_module("salesrelay.pipeline.migrations.0002_default_stages").create_stages(apps, None)
    import_module("salesrelay.clients.migrations.0002_segments").create_segments(apps, None)
