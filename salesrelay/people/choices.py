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
