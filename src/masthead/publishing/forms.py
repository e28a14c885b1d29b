"""Admin forms: the checks an editor should see on the field rather than as a crash."""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.urls import reverse
from django.utils.html import format_html

from masthead.publishing import images, services
from masthead.publishing.models import Category, Figure, Page, Post


class MarkdownTextarea(forms.Textarea):
    """A roomy Markdown textarea; the admin script adds a live preview under it."""

    class Media:
        css = {"all": ["masthead/admin/markdown-preview.css"]}
        js = ["masthead/admin/markdown-preview.js"]

    def __init__(self, attrs=None):
        super().__init__({"rows": 24, "class": "vLargeTextField markdown-source", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = reverse("admin:publishing_post_preview_markdown")
        context["widget"]["attrs"]["data-preview-url"] = url
        return context


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time pair with a real <label> on each input.

    The stock widget prints "Date:" and "Time:" as bare text, which names neither
    input for a screen reader; the field's own label points at the date.
    """

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        date, time = context["widget"]["subwidgets"]
        for key, sub in (("date_label", date), ("time_label", time)):
            if input_id := sub["attrs"].get("id"):
                context[key] = format_html('<label for="{}">{}</label>', input_id, context[key])
        return context


class PostAdminForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = [
            "title",
            "slug",
            "body",
            "excerpt",
            "status",
            "published_at",
            "comment_status",
            "sticky",
            "lead_figure",
            "categories",
            "tags",
        ]
        widgets = {
            "body": MarkdownTextarea,
            "excerpt": forms.Textarea(attrs={"rows": 3}),
            "published_at": LabelledSplitDateTime,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = "Made from the title when left empty."
        if "body" in self.fields:
            # For post-editor.js: where dropped images go, and when the server copy was saved.
            attrs = self.fields["body"].widget.attrs
            attrs["data-upload-url"] = reverse("admin:publishing_post_upload_figure")
            attrs["data-autosave-url"] = reverse("admin:publishing_post_autosave")
            # The figure's number goes in place of the 0.
            attrs["data-figure-url"] = reverse("admin:publishing_post_figure_fields", args=[0])
            if self.instance.pk:
                attrs["data-post-id"] = self.instance.pk
            if self.instance.updated_at:
                attrs["data-saved-at"] = self.instance.updated_at.isoformat()

    def validate_unique(self):
        # A slug is unique per publication day, so check it against the date the
        # post will carry once saved ("published" without a date means today).
        services.settle_status(self.instance)
        super().validate_unique()


class BylineNameForm(PostAdminForm):
    """The post form for someone who has never signed a post and gave no name."""

    byline_name = forms.CharField(
        label="Your name on bylines",
        max_length=120,
        help_text="As readers will see it under the headline, e.g. “Ada Lindqvist”. "
        "Asked once; it can be changed under Authors.",
    )


class _PathForm(forms.ModelForm):
    """For trees addressed by a slug path: no loops, no two nodes on one path."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.fields.get("parent")
        if parent is not None and self.instance.pk:
            own = self.instance.path
            parent.queryset = parent.queryset.exclude(path=own).exclude(path__startswith=f"{own}/")

    def clean(self):
        data = super().clean()
        slug, parent = data.get("slug"), data.get("parent")
        path = f"{parent.path}/{slug}" if parent else slug
        taken = self._meta.model.objects.filter(path=path).exclude(pk=self.instance.pk)
        if slug and taken.exists():
            self.add_error("slug", f"Another {self._meta.model._meta.verbose_name} is at /{path}/.")
        return data


class PageAdminForm(_PathForm):
    class Meta:
        model = Page
        fields = [
            "title",
            "slug",
            "parent",
            "menu_order",
            "status",
            "published_at",
            "comment_status",
            "excerpt",
            "body",
        ]
        widgets = {
            "body": MarkdownTextarea,
            "excerpt": forms.Textarea(attrs={"rows": 3}),
            "published_at": LabelledSplitDateTime,
        }


class CategoryAdminForm(_PathForm):
    class Meta:
        model = Category
        fields = ["name", "slug", "parent", "description"]


class FigureAdminForm(forms.ModelForm):
    class Meta:
        model = Figure
        fields = ["image", "alt_text", "caption", "credit"]
        widgets = {"caption": forms.Textarea(attrs={"rows": 3})}

    def clean_image(self):
        image = self.cleaned_data["image"]
        images.validate_image(image)
        return image


class FigureFieldsForm(forms.ModelForm):
    """What the editor's figure panel may change: never the image itself."""

    class Meta:
        model = Figure
        fields = ["alt_text", "caption", "credit"]
