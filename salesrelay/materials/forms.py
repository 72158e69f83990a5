from django import forms
from django.utils.translation import gettext_lazy as _

from salesrelay.fields import LineField, field_of
from salesrelay.materials.choices import MaterialKind


class UploadForm(forms.Form):
    title = LineField(label=_("Title"), max_length=200, help_text=_(
        "The title of a material already here uploads its next version."))
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    target_segment = forms.ChoiceField(label=_("Target segment"), required=False)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, segments=(), **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "target_segment", forms.ChoiceField).choices = [("", "—"), *segments]
