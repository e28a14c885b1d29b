"""What an import did, in a form the command prints and the ImportRun keeps."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Report:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    # (what, reason): items not imported at all.
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # (content type, reason): whole kinds of item Masthead does not take, counted.
    skipped_kinds: Counter = field(default_factory=Counter)
    # (what, reason): imported but kept out of readers' sight.
    held_back: list[tuple[str, str]] = field(default_factory=list)
    # (what, note): content not kept exactly as written.
    notes: list[tuple[str, str]] = field(default_factory=list)

    def count(self, kind: str, created: bool, n: int = 1) -> None:
        (self.created if created else self.updated)[kind] += n

    def as_dict(self) -> dict:
        return {
            "created": dict(self.created),
            "updated": dict(self.updated),
            "skipped": [list(pair) for pair in self.skipped],
            "skipped_kinds": [[kind, why, n] for (kind, why), n in self.skipped_kinds.items()],
            "held_back": [list(pair) for pair in self.held_back],
            "notes": [list(pair) for pair in self.notes],
        }

    def lines(self) -> list[str]:
        kinds = sorted(set(self.created) | set(self.updated))
        out = ["Imported:"]
        out += [
            f"  {kind}: {self.created[kind]} new, {self.updated[kind]} updated" for kind in kinds
        ]
        skipped = [(f"{n} × {kind}", why) for (kind, why), n in self.skipped_kinds.items()]
        for title, pairs in (
            ("Kept as drafts", self.held_back),
            ("Skipped", skipped + self.skipped),
            ("Not kept exactly as written", self.notes),
        ):
            if pairs:
                out.append(f"{title} ({len(pairs)}):")
                out += [f"  {what}: {why}" for what, why in pairs]
        return out
