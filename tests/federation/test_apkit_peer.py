"""Interoperability with an ActivityPub implementation this project did not write:
apkit (its client, with apsig's draft-cavage signatures) follows the publication,
gets an article, and replies; the reply waits in the moderation queue.

Fedify, the first choice, needs Node.js 22; this machine has Node.js 20.
"""

import json

from apkit.client.sync.client import ActivityPubClient
from apkit.types import ActorKey
from apsig.draft.verify import Verifier
from cryptography.hazmat.primitives import serialization

from .conftest import PUBLISH
from .peer import Peer

QUEUE = """
from masthead.discussion.models import Comment
print(Comment.objects.pending().filter(provider="fediverse", body__contains="{text}").count())
"""


class ApkitPeer(Peer):
    """The tests' actor document and inbox, but apkit signs what it sends and apsig
    checks what arrives."""

    def key(self) -> ActorKey:
        private = serialization.load_pem_private_key(self.private_pem.encode(), password=None)
        return ActorKey(key_id=f"{self.uri}#main-key", private_key=private)

    def verified(self, method, path, headers, body) -> bool:
        try:
            with ActivityPubClient() as client:
                key_owner = headers["signature"].split('keyId="')[1].split("#")[0]
                actor = client.actor.fetch(key_owner)
            pem = actor.public_key.public_key_pem
            url = f"{self.origin}{path}"
            return bool(Verifier(pem, method, url, headers, body).verify(raise_on_fail=True))
        except Exception:
            return False

    def send(self, inbox: str, activity: dict) -> int:
        with ActivityPubClient() as client:
            answer = client.post(
                inbox,
                headers={"Content-Type": "application/activity+json"},
                body=activity,
                signatures=[self.key()],
                sign_with=["draft-cavage"],
            )
            return answer.status


def test_an_apkit_actor_follows_gets_an_article_and_its_reply_is_held(node):
    a = node
    with ApkitPeer("carol") as carol, ActivityPubClient() as client:
        finger = client.get(
            f"{a.origin}/.well-known/webfinger?resource=acct:news@127.0.0.1:{a.port}"
        ).json()
        publication = client.actor.fetch(finger["links"][0]["href"])
        assert publication.preferred_username == "news"
        inbox = str(publication.inbox)

        follow = {
            "id": f"{carol.uri}/follows/1",
            "type": "Follow",
            "actor": carol.uri,
            "object": publication.id,
        }
        assert carol.send(inbox, follow) == 202
        accepted, verified = carol.wait_for("Accept")
        assert verified, "apsig did not accept the publication's signature"
        assert accepted["object"]["id"] == follow["id"]

        a.manage("shell", "-v0", "-c", PUBLISH.replace("Night ferry returns", "Tram line opens"))
        create, verified = carol.wait_for("Create")
        assert verified
        assert create["object"]["name"] == "Tram line opens"

        article = client.actor.fetch(create["object"]["id"])  # by its address, as a search does
        assert article.name == "Tram line opens"

        text = "Will the tram run on Sundays?"
        note = {
            "id": f"{carol.uri}/notes/1",
            "type": "Note",
            "attributedTo": carol.uri,
            "inReplyTo": create["object"]["id"],
            "content": f"<p>{text}</p>",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
        }
        reply = {
            "id": f"{note['id']}/activity",
            "type": "Create",
            "actor": carol.uri,
            "object": note,
        }
        assert carol.send(inbox, reply) == 202
        held = a.manage("shell", "-v0", "-c", QUEUE.format(text=text)).strip()
        assert held == "1"
        assert json.loads(a.request("GET", "/.well-known/nodeinfo")[2])["links"]
