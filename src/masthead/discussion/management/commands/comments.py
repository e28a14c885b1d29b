"""``masthead comments``: the moderation queue from a shell, like WP-CLI's ``wp comment``."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from masthead.discussion import services
from masthead.discussion.models import Comment, CommentStatus
from masthead.publishing.models import Post

# verb: (service, help, what is printed for each comment)
VERBS = {
    "approve": (services.approve_comment, "Publish comments.", "Approved comment {}."),
    "spam": (services.mark_spam, "Mark comments as spam.", "Marked comment {} as spam."),
    "trash": (
        services.trash_comment,
        "Move comments to the trash.",
        "Moved comment {} to the trash.",
    ),
    "delete": (
        services.delete_comment,
        "Delete comments for good; one with replies is withdrawn so the thread stays.",
        "Deleted comment {}.",
    ),
}


def line(comment: Comment) -> str:
    """One tab-separated line per comment, so the output is easy to cut and grep."""
    text = "(deleted)" if comment.is_deleted else comment.excerpt(60)
    author = comment.author_name
    if comment.author_email:
        author += f" <{comment.author_email}>"
    return "\t".join(
        [
            str(comment.pk),
            comment.status,
            timezone.localtime(comment.created_at).strftime("%Y-%m-%d %H:%M"),
            author,
            comment.target.slug,
            text,
        ]
    )


class Command(BaseCommand):
    help = "List, count and moderate comments."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
        listing = verbs.add_parser("list", help="Comments, oldest first, one per line.")
        listing.add_argument("--status", choices=CommentStatus.values)
        listing.add_argument("--post", metavar="SLUG", help="Only the comments on this post.")
        verbs.add_parser("count", help="How many comments have each status.")
        for verb, (_, summary, _) in VERBS.items():
            act = verbs.add_parser(verb, help=f"{summary} Nothing is done if any id is unknown.")
            act.add_argument("ids", nargs="*", type=int, metavar="ID")
            act.add_argument("--all-pending", action="store_true", help="Every pending comment.")

    def handle(self, *args, verb, **options):
        if verb == "list":
            self.show(options["status"], options["post"])
        elif verb == "count":
            self.tally()
        else:
            self.act(verb, self.targets(options["ids"], options["all_pending"]))

    def show(self, status, slug):
        comments = Comment.objects.select_related("post", "page").order_by("created_at", "pk")
        if status:
            comments = comments.filter(status=status)
        if slug:
            if not Post.objects.filter(slug=slug).exists():
                raise CommandError(f"No post with slug {slug!r}.")
            comments = comments.filter(post__slug=slug)
        for comment in comments:
            self.stdout.write(line(comment))

    def tally(self):
        counts = dict(Comment.objects.order_by().values_list("status").annotate(n=Count("pk")))
        for status in CommentStatus.values:
            self.stdout.write(f"{status}\t{counts.get(status, 0)}")

    def targets(self, ids, all_pending) -> list[Comment]:
        """Every comment asked for, or an error before any is touched."""
        if bool(ids) == all_pending:
            raise CommandError("Give either comment ids or --all-pending.")
        if all_pending:
            return list(Comment.objects.pending().order_by("created_at", "pk"))
        found = Comment.objects.in_bulk(ids)
        unknown = [str(pk) for pk in dict.fromkeys(ids) if pk not in found]
        if unknown:
            raise CommandError(f"No comment with id {', '.join(unknown)}; nothing was changed.")
        return [found[pk] for pk in dict.fromkeys(ids)]

    def act(self, verb, comments):
        service, _, done = VERBS[verb]
        if verb == "delete":
            # Replies first, so a parent deleted with its replies has none left to keep it.
            comments.sort(key=lambda c: (-c.depth, c.created_at, c.pk))
        for comment in comments:
            pk = comment.pk
            service(comment, by=None)
            if verb == "delete" and comment.pk is not None:
                self.stdout.write(f"Withdrew comment {pk}: it has replies, so its place stays.")
            else:
                self.stdout.write(done.format(pk))
        if not comments:
            self.stdout.write("No comments to act on.")
