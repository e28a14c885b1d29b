"""The "Leave a Reply" form, with fields named as WordPress names them."""

import re
import time

from django import forms
from django.core import signing
from django.core.validators import URLValidator

from masthead.discussion.models import Comment
from masthead.discussion.querysets import target_field, target_key
from masthead.identity.commenter import is_registered_name

MAX_BODY = 10_000
FORM_SALT = "masthead.discussion.form"
# A form older than this is refused as a replay; the reader just sends it again.
FORM_MAX_AGE = 2 * 24 * 3600

# C0/C1 controls (bar tab and newlines) and the bidi overrides that can make
# text read differently from how it is stored.
HIDDEN_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


def issue_form_token(key: str) -> str:
    """A signed, non-personal token: which discussion (``target_key``: "post:3", "page:5"),
    and when the form was given out."""
    return signing.dumps({"p": key, "t": time.time()}, salt=FORM_SALT, compress=True)


def read_form_token(token: str, key: str) -> float:
    """Seconds since the form was issued; ValidationError when forged, stale or for another
    discussion."""
    try:
        data = signing.loads(token, salt=FORM_SALT, max_age=FORM_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise forms.ValidationError(
            "This form was loaded too long ago. Please send your comment again.", code="expired"
        ) from exc
    except signing.BadSignature as exc:
        raise forms.ValidationError(
            "This form could not be verified. Please send your comment again.", code="bad_token"
        ) from exc
    issued = data.get("p")
    if isinstance(issued, int):  # given out before pages took comments: a post's id
        issued = f"post:{issued}"
    if issued != key:
        raise forms.ValidationError("This form belongs to another article.", code="wrong_post")
    return max(0.0, time.time() - float(data["t"]))


def _no_hidden_chars(value: str) -> str:
    if HIDDEN_CHARS.search(value):
        raise forms.ValidationError(
            "This contains invisible control or direction-changing characters; please remove them.",
            code="hidden_chars",
        )
    return value


def validate_body(value: str) -> str:
    """A comment's text as every form takes it: present, bounded, nothing hidden."""
    if len(value) > MAX_BODY:
        raise forms.ValidationError(
            f"A comment can be at most {MAX_BODY:,} characters; this one has {len(value):,}.",
            code="max_length",
        )
    if not value.strip():
        raise forms.ValidationError("Please write a comment.", code="required")
    return _no_hidden_chars(value)


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Comment",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": MAX_BODY}),
        error_messages={"required": "Please write a comment."},
    )
    author = forms.CharField(label="Name", max_length=100, required=False)
    email = forms.EmailField(
        label="Email",
        max_length=254,
        required=False,
        help_text="Never published.",
        error_messages={"invalid": "Please enter a valid email address, like name@example.org."},
    )
    url = forms.CharField(label="Website", max_length=300, required=False)
    comment_parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)
    # WordPress's name for what the comment goes under; a standing page sends its own.
    comment_post_ID = forms.IntegerField(required=False, widget=forms.HiddenInput)
    comment_page_ID = forms.IntegerField(required=False, widget=forms.HiddenInput)
    form_token = forms.CharField(widget=forms.HiddenInput)
    # Left empty by people; filled by bots that fill every field.
    contact_me_by_fax = forms.CharField(required=False, label="Leave this field empty")
    subscribe_comments = forms.BooleanField(
        required=False, label="Notify me of follow-up comments by email."
    )
    subscribe_blog = forms.BooleanField(required=False, label="Notify me of new posts by email.")
    remember = forms.BooleanField(
        required=False, label="Save my name, email, and website in this browser for next time."
    )

    def __init__(self, *args, post, user=None, **kwargs):
        # ``post`` is what the comment goes under: a post, or a standing page.
        self.post = post
        self.key = target_key(post)
        self.user = user if user is not None and user.is_authenticated else None
        super().__init__(*args, **kwargs)
        self.id_field = f"comment_{target_field(post)}_ID"
        if not self.is_bound:
            self.initial.setdefault(self.id_field, post.pk)
            self.initial["form_token"] = issue_form_token(self.key)
        if self.user is None:
            self.fields["author"].required = True
            self.fields["author"].error_messages["required"] = "Please give your name."
            self.fields["email"].required = True
            self.fields["email"].error_messages["required"] = (
                "Please give your email address; it is never published."
            )
        self.form_age = None
        self.parent = None

    def clean_comment(self):
        return validate_body(self.cleaned_data["comment"])

    def clean_author(self):
        name = " ".join(_no_hidden_chars(self.cleaned_data["author"]).split())
        # A guest comment must never pass for a registered reader's.
        if self.user is None and is_registered_name(name):
            raise forms.ValidationError(
                "This name belongs to a registered reader. If it is yours, please log in; "
                "otherwise choose another name.",
                code="registered_name",
            )
        return name

    def clean_url(self):
        value = _no_hidden_chars(self.cleaned_data["url"]).strip()
        if not value:
            return ""
        if "://" not in value:
            value = f"https://{value}"
        try:
            URLValidator(schemes=["http", "https"])(value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(
                "A website must be an http:// or https:// address.", code="bad_url"
            ) from exc
        return value

    def clean_comment_parent(self):
        parent_id = self.cleaned_data.get("comment_parent")
        if not parent_id:
            return None
        parent = (
            Comment.objects.visible()
            .on(self.post)
            .filter(pk=parent_id)
            .select_related("parent")
            .first()
        )
        if parent is None:
            raise forms.ValidationError(
                "The comment you are replying to is not available.", code="bad_parent"
            )
        self.parent = parent
        return parent_id

    def clean(self):
        data = super().clean()
        if data.get(self.id_field) not in (None, self.post.pk):
            raise forms.ValidationError("This form belongs to another article.")
        token = data.get("form_token")
        if token:
            try:
                self.form_age = read_form_token(token, self.key)
            except forms.ValidationError as exc:
                self.add_error(None, exc)
        return data

    def refresh_token(self):
        """Give a re-shown form a fresh token so the next send is not a replay."""
        data = self.data.copy()
        data["form_token"] = issue_form_token(self.key)
        self.data = data
