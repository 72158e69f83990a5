from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from salesrelay.fields import DayField, LineField, MoneyField, field_of
from salesrelay.people.choices import Department, Role


class HireForm(forms.Form):
    name = LineField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    department = forms.ChoiceField(label=_("Department"), choices=Department.choices)
    market_salary = MoneyField(label=_("Market salary"), required=False, min_value=0,
                               help_text=_("A month's pay for this job on the market; pay is "
                                           "compared with it."))
    hired_on = DayField(label=_("Start date"),
                        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    username = LineField(label=_("Login"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput,
                               help_text=_("At least 12 characters; tell it to the employee."))

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class LeaveForm(forms.Form):
    left_on = DayField(label=_("Last day employed"),
                       widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    hand_over = forms.ChoiceField(label=_("The clients"), initial="round_robin", choices=[
        ("round_robin", _("Hand them over the next day: round-robin among the account managers "
                          "(a hunter's prospects return to the free pool)")),
        ("to", _("Hand them all over the next day to the colleague below")),
        ("keep", _("Keep them for now (hand them over later on this page)")),
    ], widget=forms.RadioSelect)
    to = forms.ChoiceField(label=_("Colleague"), required=False)

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "to", forms.ChoiceField).choices = [("", "—"), *((e.ref, e.name) for e in colleagues)]


class HandOverForm(forms.Form):
    on = DayField(label=_("Handed over on"),
                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    to = forms.ChoiceField(label=_("To"), required=False, help_text=_(
        "Empty: round-robin among the account managers (a hunter's prospects return to the free "
        "pool)."))

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "to", forms.ChoiceField).choices = [("", "—"), *((e.ref, e.name) for e in colleagues)]
