"""What moderators taught the spam classifier, shared by every node through the database."""

from django.db import connections, models
from django.db.models import F
from django.utils import timezone

from masthead.discussion import classifier

TOTALS = (classifier.DOCS, classifier.TOKENS, classifier.VOCABULARY)


class SpamFeatureQuerySet(models.QuerySet):
    def counts_for(self, feats: set[str]) -> classifier.Counts:
        """The learned counts of these features, with the totals, in one query."""
        wanted = [*feats, *TOTALS]
        # Plain SQL: every new comment asks, and compiling the queryset cost more than
        # the lookup (see discussion/precedents.py).
        marks = ", ".join(["%s"] * len(wanted))
        sql = (
            f"SELECT feature, spam, ham FROM {self.model._meta.db_table} WHERE feature IN ({marks})"
        )
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, wanted)
            rows = {feature: (spam, ham) for feature, spam, ham in cursor.fetchall()}
        docs = rows.pop(classifier.DOCS, (0, 0))
        tokens = rows.pop(classifier.TOKENS, (0, 0))
        vocabulary = rows.pop(classifier.VOCABULARY, (0, 0))[0]
        return classifier.Counts(docs, tokens, vocabulary, rows)

    def add(self, feats: set[str], *, is_spam: bool, step: int = 1) -> None:
        """Count one comment in (step 1) or out (step -1) of a class, atomically."""
        column = "spam" if is_spam else "ham"
        if step > 0:
            self._create_missing(feats)
        self.filter(feature__in=feats).update(**{column: F(column) + step})
        self.filter(feature=classifier.DOCS).update(**{column: F(column) + step})
        self.filter(feature=classifier.TOKENS).update(**{column: F(column) + step * len(feats)})

    def _create_missing(self, feats: set[str]) -> None:
        known = set(self.filter(feature__in=feats).values_list("feature", flat=True))
        new = feats - known
        rows = [SpamFeature(feature=f) for f in sorted(new | set(TOTALS))]
        self.bulk_create(rows, ignore_conflicts=True)
        grown = len(new - classifier.starter().table.keys())
        if grown:
            self.filter(feature=classifier.VOCABULARY).update(spam=F("spam") + grown)


class SpamFeature(models.Model):
    """How many comments marked spam or approved carried a feature, beyond the starter model."""

    feature = models.CharField(max_length=64, unique=True)
    spam = models.IntegerField(default=0)
    ham = models.IntegerField(default=0)

    objects = SpamFeatureQuerySet.as_manager()

    def __str__(self):
        return f"{self.feature}: {self.spam} spam, {self.ham} ham"


class SpamLesson(models.Model):
    """The features a moderator's decision taught, so a change of mind can undo it exactly."""

    comment = models.OneToOneField(
        "discussion.Comment", on_delete=models.CASCADE, related_name="spam_lesson"
    )
    is_spam = models.BooleanField()
    features = models.JSONField(default=list)
    learned_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Comment {self.comment_id} taught as {'spam' if self.is_spam else 'ham'}"
