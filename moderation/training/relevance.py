"""Train the off-topic rule's relevance model: a logistic regression over the comment's words and word pairs, its
style and its overlap with what it answers (`off_topic.relevance_features`), written as the small weights file the
rule reads (moderation/pipeline/relevance.py).

Data: QatarLiving forum answers against their question (`Bad` is off point), YouTube comments (spam) with no context,
and clean news-comment sentences from toxic spans (never off point), so that ordinary news talk is what the model
learns to leave alone. Training fold only (datasets.Example.dev), solvers without randomness: the same data give the
same file. Needs the `train` extra (scikit-learn); serving reads the weights file with no dependency.
"""
from __future__ import annotations

import time
import tomllib
from collections import Counter
from pathlib import Path

import numpy as np

from moderation.evaluation import metrics
from moderation.pipeline.filters.off_topic import content_weights, relevance_features, word_weights
from moderation.pipeline.normalise import normalise
from moderation.policy import DEFAULT_POLICY_FILE, parse_lexicon
from moderation.training import datasets

ARTIFACT = "off-topic-relevance.tsv"
SOURCES = ("qatarliving", "youtube_spam", "toxic_spans")
MIN_DOCUMENT_FREQUENCY = 3
# Inverse regularisation strength, chosen on the development fold (QatarLiving and YouTube F1 at the policy's
# threshold, clean sentences held).
REGULARISATION = 2.0
# Weights smaller than this change no development decision and are left out of the file.
SMALLEST_WEIGHT = 0.01


def train(data_dir: Path, out_dir: Path, echo=print) -> str:
    """Fit the model on the training fold, write `ARTIFACT` and its model card under `out_dir`, return the card."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    started = time.monotonic()
    content, news = _content_weights()
    examples = [example for name in SOURCES for example in datasets.read(data_dir, name)
                if "off_topic" in example.labels or example.labels.get("toxic") is False]
    rows = [relevance_features(normalise(example.text), example.context, content, news) for example in examples]
    labels = np.array([example.labels.get("off_topic", False) for example in examples])
    train_rows = [i for i, example in enumerate(examples) if not example.dev]
    frequent = Counter(name for i in train_rows for name in rows[i])
    kept = [{name: value for name, value in rows[i].items() if frequent[name] >= MIN_DOCUMENT_FREQUENCY}
            for i in range(len(rows))]
    vectoriser = DictVectorizer()
    matrix = vectoriser.fit_transform([kept[i] for i in train_rows]).tocsr()
    # liblinear takes 32-bit indices only, which a matrix of this size always fits.
    matrix.indices, matrix.indptr = matrix.indices.astype(np.int32), matrix.indptr.astype(np.int32)
    model = LogisticRegression(C=REGULARISATION, solver="liblinear", max_iter=1000)
    model.fit(matrix, labels[train_rows])
    echo(f"relevance: {len(train_rows)} training examples, {matrix.shape[1]} features, "
         f"{time.monotonic() - started:.0f} s")
    weights = {name: float(weight) for name, weight in zip(vectoriser.feature_names_, model.coef_[0])
               if abs(weight) >= SMALLEST_WEIGHT}
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = [f"# Off-topic relevance weights, written by moderation/training/relevance.py; see {ARTIFACT[:-4]}.md.",
             f"(bias)\t{model.intercept_[0]:.4f}"]
    lines += [f"{name}\t{weight:.4f}" for name, weight in sorted(weights.items())]
    (out_dir / ARTIFACT).write_text("\n".join(lines) + "\n", encoding="utf-8")
    dev_rows = [i for i, example in enumerate(examples) if example.dev]
    logits = model.intercept_[0] + np.array([sum(weights.get(name, 0.0) * value for name, value in kept[i].items())
                                             for i in dev_rows])
    card = _card(examples, labels, dev_rows, logits, len(weights))
    (out_dir / f"{ARTIFACT[:-4]}.md").write_text(card, encoding="utf-8")
    return card


def _content_weights() -> tuple[dict[str, float], frozenset[str]]:
    """The off-topic rule's content-word weights and words of public debate, from the lexicons the policy names."""
    rule = tomllib.loads(DEFAULT_POLICY_FILE.read_text(encoding="utf-8"))["rules"]["off_topic"]
    lexicons = DEFAULT_POLICY_FILE.parent / "lexicons"
    background = parse_lexicon((lexicons / rule["lexicons"]["background"]).read_text(encoding="utf-8"))
    neutral = parse_lexicon((lexicons / rule["lexicons"]["news_vocabulary"]).read_text(encoding="utf-8"))
    neutral = frozenset(neutral)
    return content_weights(word_weights(background, float(rule["params"]["stopword_zipf"])), neutral), neutral


def _card(examples, labels: np.ndarray, dev_rows: list[int], logits: np.ndarray, features: int) -> str:
    """The model card: data and licences, labels, development figures per set at a few thresholds."""
    thresholds = (0.5, 0.6, 0.7, 0.8)
    lines = ["# Off-topic relevance model (`off-topic-relevance.tsv`)", "",
             "A logistic regression over a comment's distinct words and word pairs (all of one value, 1/√n), its "
             "length, `?`, `!`, words of public debate (news-vocabulary.txt) and, when there is an article or a "
             "parent comment, the share of its rare words (weighted by rarity) that they share, in bands (none, "
             "little, some, much; weaker for a title alone). Read by the off_topic rule (param `relevance_model`): "
             "a comment of `min_words_for_relevance` words or more whose probability reaches "
             "`relevance_probability` (`relevance_probability_long` for long comments, `relevance_probability_alone` "
             "with no context) is held for review, never rejected, unless it shares enough of its words with a whole "
             "article or the parent comment; its evidence is its words weighing at least "
             "`relevance_evidence_weight`. Trained by `moderation/training/relevance.py` (deterministic, seconds).",
             "", "The rule's figures (spam signals and the thresholds included) come from `moderation/training/"
             "measure.py`: QatarLiving dev off-topic F1, YouTube dev F1, SOCC clean comments held.", "",
             "## Data and licences", "",
             "| set | licence | label |", "|---|---|---|"]
    for name in SOURCES:
        label = {"qatarliving": "`Bad` answer to the question (the question is the article) → off point",
                 "youtube_spam": "spam → off point (no context)",
                 "toxic_spans": "sentences with no toxic span → not off point (no context)"}[name]
        lines.append(f"| {name} | {datasets.SOURCES[name].licence} | {label} |")
    lines += ["", f"{features} weights kept (|weight| ≥ {SMALLEST_WEIGHT}); words as the normaliser writes them, "
              "pairs joined by `+`, the numeric features in parentheses.", "",
              "## Development fold (a fixed fifth by hash, never trained on)", "",
              "| set | rows | " + " | ".join(f"p ≥ {t}: F1 (P / R) or share held" for t in thresholds) + " |",
              "|---|---|" + "---|" * len(thresholds)]
    probabilities = 1 / (1 + np.exp(-logits))
    for name in SOURCES:
        chosen = [j for j, i in enumerate(dev_rows) if examples[i].source == name]
        cells = []
        for threshold in thresholds:
            pairs = [(bool(labels[dev_rows[j]]), bool(probabilities[j] >= threshold)) for j in chosen]
            if any(label for label, _ in pairs):
                found = metrics(pairs)
                cells.append(f"{found['f1']:.2f} ({found['precision']:.2f} / {found['recall']:.2f})")
            else:
                cells.append(f"{sum(flag for _, flag in pairs) / max(len(pairs), 1):.1%}")
        lines.append(f"| {name} | {len(chosen)} | " + " | ".join(cells) + " |")
    lines += ["", "These are the model alone; the rule adds its spam signals and never holds a comment of fewer "
              "than `min_words_for_relevance` words by this model.", "",
              "## Known weaknesses", "",
              "- It sees words, not meaning: a comment on the story's subject in words the article does not use "
              "leans on the words' own weights (chit-chat, greetings, requests), not on a shared topic; the bands "
              "learn QatarLiving's prior (almost half its answers are off point), so the rule asks more of long "
              "comments and never holds one by the model that shares enough words with a whole article.",
              "- A news comment with context is what it serves, but no trainable set has news comments with their "
              "article (SOCC is CC BY-NC-SA, measured only): the negatives with no context are Civil Comments "
              "sentences.",
              "- QatarLiving's `Bad` answers include thanks and short reactions, which a news site publishes: the "
              "rule leaves comments shorter than `min_words_for_relevance` alone, so those are not caught.",
              "- English only; forum and video-comment vocabulary (Doha, Katy Perry) carries some weight.", ""]
    return "\n".join(lines)
