"""The spam rules through submit_comment: what is held, what is spam, and that all is kept."""

import datetime as dt

import pytest
from django.utils import timezone

from masthead.discussion import services
from masthead.discussion.models import Comment, CommentStatus, DiscussionSettings, Policy

PENDING, APPROVED, SPAM = CommentStatus.PENDING, CommentStatus.APPROVED, CommentStatus.SPAM
REPLY = "The ferry was late again this morning and the bus had already gone."
FIRST = "first comment from this email"
ARTICLE = (
    "The night ferry to the islands returns on Monday after the harbour board found a crew. "
    "Islanders who work early shifts at the hospital and the market welcomed the news; the "
    "board promised a timetable for the winter by October."
)
ON_TOPIC = (
    "**Finally!** The board wrote\n\n> a timetable for the winter by October\n\n"
    "Thank you for the update, please keep us posted on the ferry for the islands."
)
OFF_TOPIC_LINK = (
    "Lovely holiday cottages to rent by the sea, visit our site for prices and availability "
    "https://cottages.example.com"
)
CHANNEL = "Check out my channel and subscribe!!! http://www.youtube.com/user/cheap"


@pytest.fixture
def post(make_post):
    return make_post()


@pytest.fixture
def article(make_post):
    return make_post(title="Night ferry returns", body=ARTICLE)


@pytest.fixture
def config(db):
    """Publish at once unless a rule objects, so each test sees its rule alone."""
    config = DiscussionSettings.current()
    config.policy = Policy.HOLD_NONE
    config.save()
    return config


@pytest.fixture
def submit(post, config):
    def submit(body=REPLY, **fields):
        fields.setdefault("post", post)
        fields.setdefault("author_name", "Nils Berg")
        fields.setdefault("author_email", "nils@example.org")
        fields.setdefault("ip_address", "198.51.100.7")
        fields.setdefault("form_age", 10)
        return services.submit_comment(services.Submission(body=body, **fields))

    return submit


def configure(config, **values):
    for name, value in values.items():
        setattr(config, name, value)
    config.save()


def stored(comment):
    return Comment.objects.get(pk=comment.pk)


def test_an_ordinary_comment_is_published_under_hold_none(submit):
    comment = submit()
    assert stored(comment).status == APPROVED
    assert comment.moderation_note == ""
    assert comment.spam_score is not None


def test_a_filled_honeypot_is_spam_and_still_stored(submit):
    comment = submit(honeypot="http://cheap.example")
    assert stored(comment).status == SPAM
    assert comment.moderation_note == "honeypot field filled"


def test_a_form_sent_too_fast_is_held(submit):
    comment = submit(form_age=1.2)
    assert stored(comment).status == PENDING
    assert comment.moderation_note == "sent 1 s after the form loaded"


@pytest.mark.parametrize("form_age", [None, 3, 600])
def test_an_unhurried_or_unknown_form_age_passes(submit, form_age):
    assert submit(form_age=form_age).status == APPROVED


@pytest.mark.parametrize(
    "field",
    [
        {"body": "Great deals at the CASINO tonight, everyone welcome."},
        {"author_name": "Casino Royale"},
        {"author_email": "win@casino.example"},
        {"author_url": "https://casino.example/"},
    ],
)
def test_a_blocked_word_holds_wherever_it_was_typed(submit, config, field):
    configure(config, blocked_words="viagra\ncasino\n")
    comment = submit(**field)
    assert comment.status == PENDING
    assert comment.moderation_note == "blocked word: casino"


def test_a_blocked_word_matches_whole_words_only(submit, config):
    configure(config, blocked_words="ass")
    assert submit("A classic case of bad planning at the harbour office.").status == APPROVED


@pytest.mark.parametrize(
    ("blocked", "email", "held"),
    [
        ("bot@spam.example", "BOT@spam.example", True),
        ("@spam.example", "anyone@spam.example", True),
        ("spam.example", "anyone@mail.spam.example", True),
        ("@spam.example", "anyone@notspam.example", False),
    ],
)
def test_blocked_emails_match_an_address_or_a_domain(submit, config, blocked, email, held):
    configure(config, blocked_emails=blocked)
    comment = submit(author_email=email)
    assert (comment.status == PENDING) is held
    assert (comment.moderation_note == "blocked email") is held


@pytest.mark.parametrize(
    ("ip", "held"),
    [("203.0.113.9", True), ("203.0.114.9", False), ("2001:db8::1", True), ("192.0.2.5", True)],
)
def test_blocked_ips_accept_single_addresses_and_networks(submit, config, ip, held):
    configure(config, blocked_ips="203.0.113.0/24\n2001:db8::/32\n192.0.2.5\nnot an address")
    assert (submit(ip_address=ip).status == PENDING) is held


def test_more_links_than_allowed_are_held(submit):
    body = "See [the report](https://example.org/a), https://example.org/b and www.example.org/c"
    comment = submit(body)
    assert comment.status == PENDING
    assert comment.moderation_note == "3 links (the limit is 2)"


def test_links_up_to_the_limit_pass_the_link_rule(submit):
    body = (
        "The [council minutes](https://example.org/minutes) and https://example.org/budget agree."
    )
    assert "links" not in submit(body).moderation_note


def test_the_same_text_on_the_same_post_is_held_whoever_sends_it(submit):
    submit()
    again = submit(
        "  the ferry was LATE again this morning\nand the bus had already gone. ",
        author_email="other@example.org",
        ip_address="192.0.2.44",
    )
    assert again.status == PENDING
    assert again.moderation_note == "duplicate comment"


def test_the_same_text_from_one_person_on_another_post_is_held_for_a_day(
    submit, make_post, time_machine
):
    submit()
    elsewhere = make_post(title="Bridge repairs")
    assert submit(post=elsewhere).moderation_note == "duplicate comment"
    time_machine.move_to(timezone.now() + dt.timedelta(hours=25))
    third = make_post(title="Market day")
    assert submit(post=third).status == APPROVED


def test_short_common_replies_from_different_readers_are_not_duplicates(submit):
    submit("Same here.")
    other = submit("Same here.", author_email="ann@example.org", ip_address="192.0.2.9")
    assert other.status == APPROVED


def test_a_short_reply_repeated_by_one_person_on_one_post_is_a_duplicate(submit):
    submit("Same here.")
    assert submit("same  HERE.").moderation_note == "duplicate comment"


def test_a_sure_score_with_several_links_is_spam_and_says_so(submit):
    comment = submit(f"{CHANNEL} and http://www.youtube.com/user/cheaper")
    assert stored(comment).status == SPAM
    assert comment.spam_score >= 0.99
    assert comment.moderation_note == "classifier: 1.00 (2 links)"


def test_a_sure_score_with_one_link_is_held_with_the_reason(submit):
    comment = submit(CHANNEL)
    assert stored(comment).status == PENDING
    assert comment.spam_score >= 0.99
    assert comment.moderation_note == "classifier: 1.00 (a link)"


def test_a_first_comment_on_topic_with_a_website_bold_and_a_quote_only_waits(
    submit, config, article
):
    configure(config, policy=Policy.HOLD_UNKNOWN)
    comment = submit(ON_TOPIC, post=article, author_url="https://annaskipper.example.com")
    assert stored(comment).status == PENDING
    assert comment.moderation_note == FIRST


def test_the_same_first_comment_without_a_website_only_waits(submit, config, article):
    configure(config, policy=Policy.HOLD_UNKNOWN)
    comment = submit(ON_TOPIC, post=article)
    assert stored(comment).status == PENDING
    assert comment.moderation_note == FIRST


def test_a_short_thanks_is_published(submit, article):
    comment = submit("Great article, thanks for covering this.", post=article)
    assert stored(comment).status == APPROVED
    assert comment.moderation_note == ""


def test_a_filled_honeypot_is_spam_however_ordinary_the_comment(submit, config, article):
    configure(config, policy=Policy.HOLD_UNKNOWN)
    comment = submit(ON_TOPIC, post=article, honeypot="x")
    assert stored(comment).status == SPAM
    assert comment.moderation_note == "honeypot field filled"


def test_off_topic_link_spam_is_held_and_the_moderator_told_why(submit, article):
    comment = submit(OFF_TOPIC_LINK, post=article)
    assert stored(comment).status == PENDING
    assert "off topic, 0 of 8 words from the article; a link" in comment.moderation_note


def test_a_link_on_the_article_s_topic_is_published(submit, article):
    body = "The winter timetable from the harbour board is here: https://harbour.example.gov/w"
    assert stored(submit(body, post=article)).status == APPROVED


WALK = "Walked the harbour path with the kids today, photos: https://www.cottages.example.com/x"


@pytest.fixture
def marked(submit, article, admin_user):
    """Mark spam comments from different senders, each linking to cottages.example.com."""

    def marked(times=2):
        for n in range(times):
            body = OFF_TOPIC_LINK.replace(".com", f".com/offer-{n}")
            spam_comment = submit(body, post=article, ip_address=f"203.0.113.{n + 1}")
            services.mark_spam(spam_comment, by=admin_user)

    return marked


def test_a_link_to_a_site_moderators_marked_spam_twice_is_spam(submit, marked):
    marked(2)
    later = submit(WALK, author_email="other@example.org", ip_address="192.0.2.80")
    assert stored(later).status == SPAM
    assert later.moderation_note == "links to cottages.example.com, marked spam before"


def test_one_spam_linking_a_site_does_not_make_it_a_known_spam_link(submit, marked):
    marked(1)
    later = submit(WALK, author_email="other@example.org", ip_address="192.0.2.80")
    assert stored(later).status != SPAM


def test_a_website_moderators_approved_is_not_a_known_spam_link(submit, marked, admin_user):
    marked(2)
    friend = submit(REPLY, author_url="https://cottages.example.com", author_email="c@example.org")
    services.approve_comment(friend, by=admin_user)
    again = submit(WALK, author_email="other@example.org", ip_address="192.0.2.80")
    assert stored(again).status != SPAM


def test_a_link_to_this_site_is_never_a_known_spam_link(submit, marked, settings, admin_user):
    settings.SITE_URL = "https://cottages.example.com"
    marked(2)
    again = submit(WALK, author_email="other@example.org", ip_address="192.0.2.80")
    assert stored(again).status != SPAM


def test_a_high_score_without_a_link_is_held_not_spam(submit):
    comment = submit("Please subscribe to my channel, thank you!!!")
    assert comment.spam_score >= 0.99
    assert comment.status == PENDING


def test_hold_all_holds_every_comment(submit, config):
    configure(config, policy=Policy.HOLD_ALL)
    comment = submit()
    assert comment.status == PENDING
    assert comment.moderation_note == "every comment is held"


def test_hold_unknown_trusts_an_email_once_a_moderator_approved_it(submit, config, admin_user):
    configure(config, policy=Policy.HOLD_UNKNOWN)
    first = submit()
    assert first.status == PENDING
    assert first.moderation_note == "first comment from this email"
    services.approve_comment(first, by=admin_user)
    assert submit("Will the night ferry return in summer?").status == APPROVED
    stranger = submit("Will the night ferry return in winter?", author_email="new@example.org")
    assert stranger.status == PENDING
    impostor = submit("Will the night ferry return in autumn?", author_name="Someone Else")
    assert impostor.status == PENDING


def test_hold_unknown_knows_a_regular_whatever_case_they_type_their_name_in(
    submit, config, admin_user
):
    configure(config, policy=Policy.HOLD_UNKNOWN)
    first = submit(author_name="Ines Dahl")
    services.approve_comment(first, by=admin_user)
    again = submit("Will the night ferry return in summer?", author_name="ines DAHL")
    assert again.status == APPROVED


def test_the_same_text_from_one_address_on_another_post_is_held(submit, make_post):
    submit(author_email="")
    elsewhere = make_post(title="Bridge repairs")
    assert submit(post=elsewhere, author_email="").moderation_note == "duplicate comment"


def test_hold_unknown_trusts_a_logged_in_reader_with_an_approved_comment(
    submit, config, admin_user, reader
):
    configure(config, policy=Policy.HOLD_UNKNOWN)
    first = submit(user=reader, author_email="")
    assert first.status == PENDING
    services.approve_comment(first, by=admin_user)
    assert submit("Is the bridge open yet?", user=reader, author_email="").status == APPROVED


def test_staff_skip_the_policy_hold(submit, config, editor):
    configure(config, policy=Policy.HOLD_ALL)
    assert submit(user=editor).status == APPROVED


def test_staff_without_the_second_factor_the_site_requires_face_the_policy_hold(
    submit, config, editor, settings
):
    settings.MASTHEAD_STAFF_REQUIRE_2FA = True
    configure(config, policy=Policy.HOLD_ALL)
    assert submit(user=editor).status == PENDING


def test_staff_are_still_held_by_the_blocklist_and_the_honeypot(submit, config, editor):
    configure(config, policy=Policy.HOLD_ALL, blocked_words="ferry")
    assert submit(user=editor).status == PENDING
    assert submit("Another thought.", user=editor, honeypot="x").status == SPAM


@pytest.mark.parametrize(
    "fields",
    [
        {"honeypot": "yes"},
        {"form_age": 0},
        {"body": "Go to www.a.example www.b.example www.c.example"},
        {"body": "Subscribe to my channel!!! http://spam.example/free-money"},
        {},
    ],
)
def test_no_comment_is_ever_dropped(submit, config, fields):
    configure(config, policy=Policy.HOLD_UNKNOWN)
    before = Comment.objects.count()
    comment = submit(**fields)
    assert Comment.objects.count() == before + 1
    assert stored(comment).body == fields.get("body", REPLY)
