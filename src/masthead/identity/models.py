"""What a person tells the site about themself, beyond what allauth keeps."""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=100, blank=True)
    # A link readers may follow: never javascript:, data: or ftp:.
    website = models.URLField(
        max_length=300, blank=True, validators=[URLValidator(schemes=["http", "https"])]
    )
    # Checked and stripped of its GPS position by the form before it gets here.
    avatar = models.ImageField(upload_to="avatars/%Y/", blank=True)

    def __str__(self):
        return self.display_name or str(self.user)
