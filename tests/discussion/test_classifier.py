"""The local spam classifier: its starter model on comments it never saw, and what it learns."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from masthead.discussion import classifier, services, spam
from masthead.discussion.models import DiscussionSettings, Policy
from masthead.discussion.spam_models import SpamFeature, SpamLesson
from tests.shared_data import shared_data

HELD_OUT_SPAM = [
    "Free itunes $25 giftcard codes: http://shhort.com/a?r=OOCnjqU2b",
    "need money?Enjoy https://www.tsu.co/emerson_zanol",
    "http://www.mediafire.com/download/yvovhafsv5qzzqo/Video.rar    download and  make money today",
]
HELD_OUT_HAM = [
    "the most viewed youtube video of all time?",
    "She is good. Does she make any more music? If she doesn't, she should!",
    "This was such an epic track. And the video is awesome!",
]
BORDERLINE = "Cheap ferry tickets for the summer season, message me for prices."
SIMILAR = "Cheap ferry tickets for the winter season, message me for prices."


@pytest.fixture(scope="module")
def corpus():
    root = shared_data("spam", "youtube")
    if root is None:
        pytest.skip("the shared labelled comments are absent")
    return classifier.corpus(root.parent.parent)


def held_out(corpus, text):
    [example] = [e for e in corpus if e.text.strip() == text.strip()]
    assert example.held_out, "the model must be judged on comments it was not trained on"
    return example


def score(text):
    return classifier.probability(classifier.features(text), classifier.starter())


def judge(text):
    return classifier.judge(score(text), classifier.count_links(text))


@pytest.mark.parametrize("text", HELD_OUT_SPAM)
def test_the_starter_model_is_sure_of_unseen_obvious_spam(corpus, text):
    assert held_out(corpus, text).is_spam
    assert score(text) >= classifier.SPAM_AT
    assert judge(text) == "hold"


def test_a_sure_score_is_spam_only_with_several_links():
    one = "need money?Enjoy https://www.tsu.co/emerson_zanol"
    assert judge(one) == "hold"
    assert judge(f"{one} https://www.tsu.co/more") == "spam"


@pytest.mark.parametrize("text", HELD_OUT_HAM)
def test_the_starter_model_lets_unseen_ordinary_comments_through(corpus, text):
    assert not held_out(corpus, text).is_spam
    assert judge(text) is None


def test_the_starter_model_flags_most_held_out_spam_and_little_ham(corpus):
    held = [e for e in corpus if e.held_out]
    flagged = {e: judge(e.text) is not None for e in held}
    spam_caught = sum(flagged[e] for e in held if e.is_spam) / sum(e.is_spam for e in held)
    ham_flagged = sum(flagged[e] for e in held if not e.is_spam) / sum(not e.is_spam for e in held)
    assert spam_caught > 0.85
    assert ham_flagged < 0.08


def test_the_shipped_model_is_what_the_command_builds(corpus, tmp_path):
    output = tmp_path / "model.json"
    call_command("train_spam_model", data=shared_data(), output=output, stdout=io.StringIO())
    assert output.read_bytes() == classifier.STARTER.read_bytes()


def test_the_shipped_model_is_small_credits_its_source_and_skips_held_out_data(corpus):
    data = json.loads(classifier.STARTER.read_text())
    assert classifier.STARTER.stat().st_size < 300_000
    assert "CC BY 4.0" in data["source"] and "Alberto" in data["source"]
    assert sum(data["docs"]) == sum(not e.held_out for e in corpus)


def test_a_link_counts_once_with_its_site_not_as_words():
    feats = classifier.features(
        "Look https://www.Deals.example/buy?id=7 now", website="http://me.example"
    )
    assert {"__link__", "site:deals.example", "__website__", "site:me.example"} <= feats
    assert not {"https", "www", "buy", "deals"} & feats
    assert "look now" in feats


def test_polite_requests_without_a_link_are_only_held():
    assert judge("Please subscribe to my channel, thank you!!!") == "hold"


@pytest.fixture
def submit(make_post, db):
    config = DiscussionSettings.current()
    config.policy = Policy.HOLD_UNKNOWN
    config.save()
    post = make_post()

    def submit(body, email):
        sub = services.Submission(
            target=post, body=body, author_name="Reader", author_email=email, form_age=10
        )
        return services.submit_comment(sub)

    return submit


def test_marking_a_borderline_comment_spam_raises_the_score_of_a_similar_one(submit, admin_user):
    first = submit(BORDERLINE, "one@example.org")
    services.mark_spam(first, by=admin_user)
    second = submit(SIMILAR, "two@example.org")
    assert second.spam_score > first.spam_score


def test_approving_a_borderline_comment_lowers_the_score_of_a_similar_one(submit, admin_user):
    first = submit(BORDERLINE, "one@example.org")
    services.approve_comment(first, by=admin_user)
    second = submit(SIMILAR, "two@example.org")
    assert second.spam_score < first.spam_score


def test_what_is_learned_is_kept_in_the_database_for_every_node(submit, admin_user):
    services.mark_spam(submit(BORDERLINE, "one@example.org"), by=admin_user)
    cheap = SpamFeature.objects.get(feature="cheap")
    assert (cheap.spam, cheap.ham) == (1, 0)
    assert SpamFeature.objects.counts_for({"cheap"}).docs == (1, 0)


def test_a_changed_mind_replaces_the_earlier_lesson(submit, admin_user):
    comment = submit(BORDERLINE, "one@example.org")
    services.mark_spam(comment, by=admin_user)
    services.approve_comment(comment, by=admin_user)
    cheap = SpamFeature.objects.get(feature="cheap")
    assert (cheap.spam, cheap.ham) == (0, 1)
    assert SpamLesson.objects.get(comment=comment).is_spam is False
    assert SpamFeature.objects.counts_for(set()).docs == (0, 1)


def test_the_same_decision_twice_teaches_once(submit, admin_user):
    comment = submit(BORDERLINE, "one@example.org")
    spam.learn(comment, is_spam=True)
    spam.learn(comment, is_spam=True)
    assert SpamFeature.objects.get(feature="cheap").spam == 1


def test_a_status_change_without_a_moderator_teaches_nothing(submit):
    services.mark_spam(submit(BORDERLINE, "one@example.org"))
    assert not SpamFeature.objects.exists()


def test_training_without_the_shared_data_keeps_the_shipped_model(tmp_path):
    output = tmp_path / "model.json"
    with pytest.raises(CommandError, match="No labelled comments"):
        call_command("train_spam_model", data=tmp_path / "absent", output=output)
    assert not output.exists()


def test_counting_links_counts_each_address_once():
    assert classifier.count_links("https://www.example.org/x") == 1
    assert classifier.count_links("[a](https://example.org) [b](http://example.org)") == 2
    assert classifier.count_links("no links, only example.org") == 0
