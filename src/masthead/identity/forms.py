from django import forms
from django.core.files.uploadedfile import UploadedFile

from masthead.identity.models import Profile
from masthead.identity.services import DeletionMode
from masthead.publishing.images import clean_upload, validate_image


class ProfileForm(forms.ModelForm):
    website = forms.URLField(
        required=False, max_length=300, assume_scheme="https", help_text="http or https only."
    )

    class Meta:
        model = Profile
        fields = ["display_name", "website", "avatar"]
        help_texts = {
            "display_name": "Shown with your comments. Leave empty to use your name.",
            "avatar": "A JPEG, PNG, GIF or WebP picture; its location data is removed.",
        }

    def clean_avatar(self):
        avatar = self.cleaned_data["avatar"]
        if isinstance(avatar, UploadedFile):
            validate_image(avatar)
            return clean_upload(avatar)
        return avatar

    def new_avatar(self):
        """The upload, False to remove the avatar, or None when it stays as it is."""
        return self.cleaned_data["avatar"] if "avatar" in self.changed_data else None


class DeleteAccountForm(forms.Form):
    mode = forms.ChoiceField(
        label="Your comments", choices=DeletionMode.choices, widget=forms.RadioSelect
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Accounts without a password prove themselves by re-authenticating instead.
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        return password
