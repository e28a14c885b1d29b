from django import forms

from masthead.api.webhooks.models import Event
from masthead.lib import outbound


class WebhookForm(forms.Form):
    """A hook's address and events. An address the site would refuse to deliver to is
    refused here, with the guard's reason, and what was typed stays in the form."""

    url = forms.URLField(
        label="Payload URL",
        max_length=500,
        assume_scheme="https",
        error_messages={"required": "Enter the address that receives the events."},
    )
    description = forms.CharField(max_length=200, required=False)
    events = forms.MultipleChoiceField(
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event."},
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            outbound.check_url(url)
        except outbound.Refused as exc:
            raise forms.ValidationError(f"Deliveries cannot go to this address: {exc}") from exc
        return url
