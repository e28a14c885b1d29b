"""The Fediverse in the admin: who the site has met, who follows it and whom it
follows, read only; blocks are kept on the desk's Fediverse page as well."""

from django.contrib import admin

from masthead.federation import services
from masthead.federation.models import Block, Follower, Following, RemoteActor


@admin.register(RemoteActor)
class RemoteActorAdmin(admin.ModelAdmin):
    list_display = ("handle", "name", "uri", "fetched_at")
    search_fields = ("handle", "name", "uri")
    readonly_fields = [f.name for f in RemoteActor._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Follower)
class FollowerAdmin(admin.ModelAdmin):
    list_display = ("actor", "created_at")
    list_select_related = ("actor",)
    readonly_fields = ("actor", "follow_id", "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(Following)
class FollowingAdmin(admin.ModelAdmin):
    """Read only: following and unfollowing tell the other server, from the desk."""

    list_display = ("actor", "state", "created_at")
    list_filter = ("state",)
    list_select_related = ("actor",)
    readonly_fields = ("actor", "state", "follow_id", "created_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ("__str__", "reason", "created_at")
    search_fields = ("domain", "actor_uri")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.end_follows(obj)
