"""The form that makes an API token, on the desk and on the profile page alike."""

import datetime as dt

from django import forms
from django.utils import timezone

# Longer-lived tokens are left without an end date rather than guessed at.
LONGEST = dt.timedelta(days=366 * 5)


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="What is the new token for?",
        error_messages={"required": "Say what the token is for, to tell it from others later."},
    )
    expires_on = forms.DateField(
        required=False,
        label="Expires on (optional)",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="It stops working as that day begins. Empty: it works until revoked.",
        error_messages={"invalid": "Give the date as YYYY-MM-DD."},
    )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is None:
            return None
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError("Choose a day after today.")
        if day - today > LONGEST:
            raise forms.ValidationError("Choose a day within five years, or none.")
        return day

    @property
    def expires_at(self) -> dt.datetime | None:
        """The start of the chosen day in the site's time zone."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
