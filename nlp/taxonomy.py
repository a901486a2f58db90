"""Topic taxonomy: the deployment's list of topics with Vietnamese labels and seed phrases."""

import json
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_PATH = Path(__file__).parent / "data" / "taxonomy.json"
FALLBACK_TOPIC = "other"


@dataclass(frozen=True)
class Topic:
    key: str
    label: str
    description: str
    seeds: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Taxonomy:
    topics: list[Topic]
    version: str = ""

    def keys(self) -> list[str]:
        return [t.key for t in self.topics]

    def label(self, key: str) -> str:
        for topic in self.topics:
            if topic.key == key:
                return topic.label
        return key


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    data = json.loads(Path(path or DEFAULT_PATH).read_text(encoding="utf-8"))
    topics = [Topic(t["key"], t["label"], t["description"], list(t.get("seeds", []))) for t in data["topics"]]
    return Taxonomy(topics=topics, version=data.get("version", ""))
