from django.urls import path

from masthead.federation import views

app_name = "federation"
urlpatterns = [
    path(".well-known/webfinger", views.webfinger, name="webfinger"),
    path(".well-known/host-meta", views.host_meta, name="host-meta"),
    path(".well-known/nodeinfo", views.nodeinfo_links, name="nodeinfo-links"),
    path("nodeinfo/2.0", views.nodeinfo, name="nodeinfo"),
    path("federation/actor", views.actor, name="actor"),
    path("federation/inbox", views.inbox_view, name="inbox"),
    path("federation/outbox", views.outbox, name="outbox"),
    path("federation/followers", views.followers, name="followers"),
    path("federation/replies/<int:pk>", views.replies, name="replies"),
    path("federation/comments/<int:pk>", views.comment, name="comment"),
    path("federation/notes/<int:pk>", views.note, name="note"),
]
