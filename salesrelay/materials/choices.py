from django.db import models
from django.utils.translation import gettext_lazy as _


class MaterialKind(models.TextChoices):
    CATALOG = "catalog", _("Catalog")
    PROMO_KIT = "promo_kit", _("Promo kit")
    PRICE_LIST = "price_list", _("Price list")
    PHOTO_SET = "photo_set", _("Photo set")
    OTHER = "other", _("Other")
