"""ActivityPub: the publication as an actor, its articles in followers' timelines, and
replies from the Fediverse landing in the discussion under each article."""
