from django.contrib import admin

from masthead.identity import services
from masthead.identity.forms import ProfileForm
from masthead.identity.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    # The reader's own form, so avatars are checked and stripped here too.
    form = ProfileForm
    fields = ["user", "display_name", "website", "avatar"]
    list_display = ["user", "display_name", "role"]
    search_fields = ["user__email", "user__username", "display_name"]
    raw_id_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").prefetch_related("user__groups")

    @admin.display(description="Role")
    def role(self, profile):
        return services.role_of(profile.user)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.update_profile(
            obj.user,
            display_name=data["display_name"],
            website=data["website"],
            avatar=form.new_avatar(),
        )
        # The admin's confirmation and redirect name the saved row.
        obj.pk = saved.pk
