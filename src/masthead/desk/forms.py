from django import forms

from masthead.discussion.forms import validate_body

# What a bulk button may do; holding is one comment at a time.
BULK_VERBS = ["approve", "spam", "trash"]


class TextForm(forms.Form):
    """A comment's text, for an edit or a staff reply, checked as every comment is."""

    body = forms.CharField(
        strip=False,
        validators=[validate_body],
        error_messages={"required": "Please write a comment."},
    )


class BulkForm(forms.Form):
    verb = forms.ChoiceField(choices=[(verb, verb) for verb in BULK_VERBS])
    selected = forms.CharField(required=False)

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.ids = [int(v) for v in data.getlist("selected") if v.isascii() and v.isdigit()]

    def clean(self):
        if not self.ids:
            raise forms.ValidationError("Select at least one comment first.")
        return super().clean()
