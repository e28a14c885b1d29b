"""What imports leave behind: a record of each run, old addresses, and media found."""

from django.db import models
from django.utils import timezone


class ImportRun(models.Model):
    """One import of one file: what it was, how far it got, and what it did."""

    class State(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        DRY_RUN = "dry_run", "Dry run (nothing kept)"
        FAILED = "failed", "Failed (nothing kept)"

    kind = models.CharField(max_length=20, default="wxr")
    source = models.CharField(max_length=300, help_text="The file imported.")
    # Where an upload waits for the worker; emptied once the import has read it.
    stored_file = models.CharField(max_length=500, blank=True, editable=False)
    site_url = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    # The file's size; how far a running import has read is in the shared cache
    # (tasks.progress_of), since this row only changes when the import commits.
    total_bytes = models.BigIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.kind} import of {self.source} ({self.get_state_display()})"


class LegacyRedirect(models.Model):
    """An address the old site answered, and where that content lives now.

    ``source`` is a path ("/2011/07/hello/") or a WordPress query ("?p=12").
    The target is found when asked, by legacy id, so a post renamed or redated
    after the import still gets its readers; ``target_url`` is the fallback.
    """

    source = models.CharField(max_length=500, unique=True)
    target_legacy_id = models.CharField(max_length=64, blank=True)
    target_url = models.CharField(max_length=500, blank=True)

    def __str__(self):
        return self.source


class ImportedMedia(models.Model):
    """A WordPress attachment: where it was, what it said, and what it became here."""

    legacy_id = models.CharField(max_length=64, unique=True)
    original_url = models.URLField(max_length=500)
    title = models.CharField(max_length=300, blank=True)
    caption = models.TextField(blank=True)
    alt_text = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    # An image with its file found becomes a figure; any other file is kept as is.
    figure = models.ForeignKey(
        "publishing.Figure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="attachments/%Y/%m/", blank=True)
    parent_legacy_id = models.CharField(max_length=64, blank=True)
    # What a [gallery] without ids sorts its parent's images by, as WordPress does.
    menu_order = models.IntegerField(default=0)
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "imported media"

    def __str__(self):
        return self.title or self.original_url

    @property
    def url(self) -> str:
        """Where the file is served now, or where it was when it was not copied."""
        if self.figure_id and self.figure.image:
            return self.figure.image.url
        if self.file:
            return self.file.url
        return self.original_url
