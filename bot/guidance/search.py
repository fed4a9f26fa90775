"""When the model is unsure: the nearest topics by a ranked search, offered as buttons.

The index holds, for every question the content answers, its bank of ways of asking (the
training examples in data/nlu) and the answer's own title and text. A message is scored
against each with TF-IDF word and character n-grams (scikit-learn, already used by the
classifier) and cosine similarity; a topic's score is its best match. The best two or three
above a floor are offered; below it the plain "didn't understand" is kept.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.guidance.content import load_content
from bot.guidance.content.schema import Content
from bot.guidance.topics import BY_INTENT
from bot.paths import REPO

BANKS = REPO / "data" / "nlu"
MIN_SCORE = 0.3
MAX_OPTIONS = 3
# Tasks that are not content topics, with their button titles.
TASKS = {
    "check_referral": "Can I refer?",
    "find_dspl": "Find my DSPL area",
    "find_support_groups": "Support groups",
}
_NOT_OFFERED = {"out_of_scope", "bot_challenge"}


def question_banks(folder: Path = BANKS) -> dict[str, list[str]]:
    """The training examples of every question intent, by intent."""
    banks: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            intent = block.get("intent")
            if intent not in BY_INTENT and intent not in TASKS:
                continue
            lines = (line.strip() for line in str(block.get("examples", "")).splitlines())
            banks.setdefault(intent, []).extend(x[2:].strip() for x in lines if x[:2] == "- ")
    return banks


@dataclass
class TopicIndex:
    """The searchable documents and which question each belongs to."""

    intents: list[str]
    owners: np.ndarray
    matrix: sparse.csr_matrix
    vectoriser: TfidfVectorizer
    chars: TfidfVectorizer
    titles: dict[str, str]

    def rank(self, text: str) -> list[tuple[str, float]]:
        """(intent, score) for every question, best first."""
        query = self._features([text])
        scores = (self.matrix @ query.T).toarray().ravel()
        best: dict[str, float] = {}
        for owner, score in zip(self.owners, scores, strict=True):
            intent = self.intents[owner]
            best[intent] = max(best.get(intent, 0.0), float(score))
        return sorted(best.items(), key=lambda item: item[1], reverse=True)

    def _features(self, texts: list[str]) -> sparse.csr_matrix:
        stacked = sparse.hstack([self.vectoriser.transform(texts), self.chars.transform(texts)])
        return _normalised(stacked.tocsr())


def _normalised(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A.ravel()
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ matrix


def build_index(content: Content, banks: dict[str, list[str]]) -> TopicIndex:
    """An index of every question the council's content answers."""
    intents: list[str] = []
    owners: list[int] = []
    docs: list[str] = []
    titles: dict[str, str] = {}
    for intent, examples in banks.items():
        if intent in _NOT_OFFERED:
            continue
        question = BY_INTENT.get(intent)
        topic = content.topics.get(question.topic) if question else None
        if question and topic is None and question.topic != "evidence":
            continue
        titles[intent] = TASKS.get(intent) or (topic.title if topic else "Evidence needed")
        index = len(intents)
        intents.append(intent)
        answer = [f"{topic.title}. {topic.text} {topic.more or ''}"] if topic else []
        for doc in [*examples, *answer]:
            docs.append(doc)
            owners.append(index)
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english")
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    matrix = sparse.hstack([words.fit_transform(docs), chars.fit_transform(docs)]).tocsr()
    return TopicIndex(intents, np.array(owners), _normalised(matrix), words, chars, titles)


_INDEXES: dict[str, TopicIndex] = {}


def index_for(content: Content) -> TopicIndex:
    """The council's index, built once (the action server builds it at start-up)."""
    if content.council.id not in _INDEXES:
        _INDEXES[content.council.id] = build_index(content, _banks())
    return _INDEXES[content.council.id]


@functools.lru_cache(maxsize=1)
def _banks() -> dict[str, list[str]]:
    return question_banks()


def suggestions(text: str, content: Content | None = None) -> list[tuple[str, str]]:
    """Up to three (button title, payload) for the topics nearest to the text."""
    content = content or load_content()
    index = index_for(content)
    ranked = [(i, s) for i, s in index.rank(text) if s >= MIN_SCORE][:MAX_OPTIONS]
    return [(index.titles[intent], f"/{intent}") for intent, _ in ranked]


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9'‘(])|\n+")
MIN_FOCUS = 0.2


def sentences(text: str) -> list[str]:
    """The sentences (and list items) of an answer's text."""
    return [s.strip().lstrip("- ").strip() for s in _SENTENCE.split(text) if s.strip()]


def focus(question: str, text: str, content: Content | None = None) -> str | None:
    """The sentence of ``text`` that best answers the question, if one clearly does.

    A short answer says what most people need; when a question asks about one detail in
    the rest ("how long does an EHC assessment take?"), that sentence comes first.
    """
    candidates = sentences(text)
    if not candidates or not question.strip():
        return None
    index = index_for(content or load_content())
    scores = (index._features(candidates) @ index._features([question]).T).toarray().ravel()
    best = int(np.argmax(scores))
    return candidates[best] if scores[best] >= MIN_FOCUS else None
