from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.TextChoices):
    ACQUISITION = "acquisition", _("Acquisition")
    ACCOUNT_MANAGEMENT = "account_management", _("Account management")
    MANAGEMENT = "management", _("Management")


class Role(models.TextChoices):
    HUNTER = "hunter", _("Hunter")
    ACCOUNT_MANAGER = "account_manager", _("Account manager")
    HEAD = "head", _("Head of department")
    DIRECTOR = "director", _("Commercial director")
    ACCOUNTANT = "accountant", _("Accountant")


class AccessRole(models.TextChoices):
    """The six roles the access rules (SPEC §7) speak of: a head is a head of one department."""

    HUNTER = "hunter", _("Hunter")
    ACCOUNT_MANAGER = "account_manager", _("Account manager")
    HEAD_ACQUISITION = "head_acquisition", _("Head of acquisition")
    HEAD_ACCOUNTS = "head_accounts", _("Head of account management")
    DIRECTOR = "director", _("Commercial director")
    ACCOUNTANT = "accountant", _("Accountant")
