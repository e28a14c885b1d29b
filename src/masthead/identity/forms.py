from django import forms
from django.core.files.uploadedfile import UploadedFile

from masthead.identity import services
from masthead.identity.commenter import is_registered_name
from masthead.identity.models import Profile
from masthead.identity.services import DeletionMode
from masthead.publishing.image_worker import check_and_clean

NAME_TAKEN = "Someone here already goes by this name; please choose another."


def _clean_display_name(name: str, *, taken: bool) -> str:
    name = " ".join(name.split())
    if name and (taken or services.is_nameless_name(name)):
        raise forms.ValidationError(NAME_TAKEN, code="name_taken")
    return name


class SignupDetailsForm(forms.Form):
    """What sign-up asks beyond the address and password; allauth's sign-up forms,
    local and social, are built on this (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label="Display name",
        max_length=100,
        help_text="Shown with your comments. Your email address never is.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    field_order = ["display_name", "email", "password1", "password2"]

    def clean_display_name(self):
        name = self.cleaned_data["display_name"]
        return _clean_display_name(name, taken=is_registered_name(name))

    def signup(self, request, user):
        """Called by allauth once the account is saved."""
        services.update_profile(user, display_name=self.cleaned_data["display_name"], website="")


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

    def clean_display_name(self):
        name = self.cleaned_data["display_name"]
        # Only a new name is checked: nobody is made to give up the one they have.
        changed = "display_name" in self.changed_data
        # The admin picks the user on this form; a reader edits their own profile.
        own = getattr(self.cleaned_data.get("user"), "pk", None) or self.instance.user_id
        return _clean_display_name(
            name, taken=changed and is_registered_name(name, except_user=own)
        )

    def clean_avatar(self):
        avatar = self.cleaned_data["avatar"]
        if isinstance(avatar, UploadedFile):
            return check_and_clean(avatar, still=True)
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
