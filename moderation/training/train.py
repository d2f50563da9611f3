"""Train the learned rules' linear model on the public sets and write its artifact and model card.

Deterministic (a fixed split by hash, solvers without randomness), CPU only; needs the `train` extra (scikit-learn),
which serving never imports. Run through `flask --app moderation policy train --data DIR`.
"""
from __future__ import annotations

import time
from functools import partial
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from moderation.pipeline.learned import LinearModel, features
from moderation.pipeline.normalise import normalise
from moderation.training import datasets
from moderation.training.datasets import HEADS, SOURCES, Example

ARTIFACT = "comments.npz"
CARD = "comments.md"
# The sets of clean comments (measured, never trained on) that the card's thresholds are read from, per language.
CLEAN_SOURCES = {"en": "socc", "es": "offendes_clean"}
MIN_DOCUMENT_FREQUENCY = 3
# Inverse regularisation strength per head: hate and insult learn from fewer positives and get more freedom to use
# rare n-grams. On the development fold, C = 4 and C = 16 put the hate head's ROC AUC within 0.02 of each other.
REGULARISATION = {"toxic": 2.0, "hate": 4.0, "insult": 4.0}
# At most this many features, the largest weights first; the public sets give about 171,000 at MIN_DOCUMENT_FREQUENCY,
# all kept (1.4 MB compressed), so this bounds the artifact only if more data comes.
KEEP_FEATURES = 200_000
CLEAN_SHARES = (0.005, 0.01, 0.02)


@dataclass(frozen=True, slots=True)
class Trained:
    """The model, the figures for its card, and what it was made from."""

    model: LinearModel
    card: str


def identity_words(entries: tuple[str, ...]) -> frozenset[str]:
    """The single words of identity lexicon entries (hate_speech's `groups` and `group_adjectives`), with the -s and
    -es forms of `word+` entries: what the model reads as one identity feature."""
    words = set()
    for entry in entries:
        if " " in entry or "*" in entry:
            continue
        word = entry.rstrip("+")
        words.add(word)
        if entry.endswith("+"):
            words.update((word + "s", word + "es"))
    return frozenset(words)


def artifact_names(language: str = "en") -> tuple[str, str]:
    """The artifact's and the model card's file names for a language (ISO 639-1): comments.npz and comments.md for
    English, comments-es.npz and comments-es.md for Spanish."""
    return (ARTIFACT, CARD) if language == "en" else (f"comments-{language}.npz", f"comments-{language}.md")


def train(data_dir: Path, sources: tuple[str, ...] | None = None, masked: frozenset[str] = frozenset(),
          echo=print, language: str = "en") -> Trained:
    """Fit the heads on the training fold of `sources` (default: every trainable set in `language`, ISO 639-1) and
    calibrate them on the development fold, reading the `masked` identity words as one feature; raises
    FileNotFoundError naming a set missing from `data_dir`, ValueError when a head has too few examples to learn or
    calibrate."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    started = time.monotonic()
    examples = datasets.training_examples(data_dir, sources, language)
    tokens = [normalise(example.text).tokens for example in examples]
    train_rows = [i for i, example in enumerate(examples) if not example.dev]
    dev_rows = [i for i, example in enumerate(examples) if example.dev]
    echo(f"{len(examples)} examples ({len(train_rows)} train, {len(dev_rows)} dev), normalised "
         f"in {time.monotonic() - started:.0f} s")

    analyser = partial(features, masked=masked)
    vectoriser = TfidfVectorizer(analyzer=analyser, lowercase=False, norm=None, min_df=MIN_DOCUMENT_FREQUENCY,
                                 dtype=np.float32)
    matrix = _scaled(vectoriser.fit_transform([tokens[i] for i in train_rows]),
                     [len(analyser(tokens[i])) for i in train_rows])
    idf = vectoriser.idf_.astype(np.float32)
    echo(f"{matrix.shape[1]} features in {time.monotonic() - started:.0f} s")

    weights = np.zeros((matrix.shape[1], len(HEADS)), dtype=np.float32)
    bias = np.zeros(len(HEADS))
    for column, head in enumerate(HEADS):
        rows = [k for k, i in enumerate(train_rows) if head in examples[i].labels]
        labels = np.array([examples[train_rows[k]].labels[head] for k in rows])
        solver = LogisticRegression(C=REGULARISATION[head], solver="liblinear", max_iter=200)
        solver.fit(matrix[rows], labels)
        weights[:, column] = solver.coef_[0] * idf
        bias[column] = solver.intercept_[0]
        echo(f"head {head}: {len(rows)} examples, {labels.sum()} positive, {time.monotonic() - started:.0f} s")

    vocabulary = vectoriser.get_feature_names_out()
    kept = np.argsort(-np.abs(weights).max(axis=1), kind="stable")[:KEEP_FEATURES]
    kept.sort()
    model = LinearModel(HEADS, {vocabulary[j]: k for k, j in enumerate(kept)},
                        weights[kept].astype(np.float16).astype(np.float32), bias,
                        np.tile([1.0, 0.0], (len(HEADS), 1)), masked)
    dev = [examples[i] for i in dev_rows]
    logits = np.array([model.logits(normalise(example.text)) for example in dev])
    model = _calibrated(model, dev, logits)
    card = _card(model, data_dir, examples, dev, logits, time.monotonic() - started, language)
    echo(f"done in {time.monotonic() - started:.0f} s")
    return Trained(model, card)


def _scaled(matrix, counts: list[int]):
    """Divide each row by the square root of its feature count, as `LinearModel.logits` does for a sentence."""
    from scipy.sparse import diags

    return (diags(1.0 / np.sqrt(np.maximum(np.array(counts, dtype=np.float32), 1.0))) @ matrix).tocsr()


def _calibrated(model: LinearModel, dev: list[Example], logits: np.ndarray) -> LinearModel:
    """The model with Platt scaling per head, fitted on the development examples that have the head's label."""
    from sklearn.linear_model import LogisticRegression

    calibration = np.zeros((len(model.heads), 2))
    for column, head in enumerate(model.heads):
        rows = [k for k, example in enumerate(dev) if head in example.labels]
        labels = np.array([dev[k].labels[head] for k in rows])
        if len(set(labels.tolist())) < 2:
            raise ValueError(f"the development fold has no {'negative' if len(labels) and labels[0] else 'positive'} "
                             f"example for the head {head!r}: give more data")
        platt = LogisticRegression(C=1e6).fit(logits[rows, column:column + 1], labels)
        calibration[column] = (platt.coef_[0][0], platt.intercept_[0])
    return LinearModel(model.heads, model.vocabulary, model.weights, model.bias, calibration, model.masked)


def _probabilities(model: LinearModel, logits: np.ndarray) -> np.ndarray:
    """Calibrated probabilities from raw logits (rows × heads)."""
    a, b = model.calibration[:, 0], model.calibration[:, 1]
    return 1.0 / (1.0 + np.exp(-(logits * a + b)))


def _card(model: LinearModel, data_dir: Path, examples: list[Example], dev: list[Example], logits: np.ndarray,
          seconds: float, language: str = "en") -> str:
    """The model card: data and licences, label mapping, development figures, clean comments held, weaknesses."""
    from sklearn.metrics import roc_auc_score

    counts = Counter(example.source for example in examples)
    probabilities = _probabilities(model, logits)
    notes = CARD_NOTES[language]
    lines = [
        f"# Model card: {artifact_names(language)[0]}, the learned rules' linear model"
        + ("" if language == "en" else f" ({notes['language']})"),
        "",
        "A logistic regression per head over character 3–5-grams, words and word pairs of the normalised comment "
        "(moderation/pipeline/learned.py), trained by `flask --app moderation policy train --data DIR` "
        f"(deterministic; {seconds / 60:.1f} minutes on this machine's two cores). Serving needs only NumPy.",
        "",
        "## Data and licences",
        "",
        "| set | examples | licence |",
        "|---|---|---|",
        *(f"| {name} | {count} | {SOURCES[name].licence} |" for name, count in sorted(counts.items())),
        "",
        notes["licences"],
        "",
        "## Label mapping",
        "",
        *notes["labels"],
        "",
        f"## Development fold ({notes['dev']}; never trained on)",
        "",
        "| head | dev examples | positive | ROC AUC | best F1 | at probability |",
        "|---|---|---|---|---|---|",
    ]
    for column, head in enumerate(model.heads):
        rows = [k for k, example in enumerate(dev) if head in example.labels]
        labels = np.array([dev[k].labels[head] for k in rows], dtype=bool)
        scores = probabilities[rows, column]
        f1, threshold = best_f1(labels, scores)
        lines.append(f"| {head} | {len(rows)} | {int(labels.sum())} | {roc_auc_score(labels, scores):.3f} | {f1:.3f} | "
                     f"{threshold:.2f} |")
    lines += ["", *_clean_table(model, data_dir, CLEAN_SOURCES[language]), "", *notes["weaknesses"]]
    return "\n".join(lines) + "\n"


def _clean_table(model: LinearModel, data_dir: Path, source: str = "socc") -> list[str]:
    """The probability each head must reach so that at most 0.5 %, 1 %, 2 % of clean comments (`source`: SOCC's
    constructive, non-toxic news comments; OffendES's non-offensive development comments in Spanish) reach it: what
    the policy's model thresholds are chosen from."""
    try:
        clean = list(datasets.read(data_dir, source))
    except FileNotFoundError:
        return [f"({source} not found under the data folder: no clean-comment thresholds.)"]
    probabilities = np.array([[model.probability(normalise(example.text), head) for head in model.heads]
                              for example in clean])
    lines = [f"## Clean comments ({source}, {len(clean)} clean; measured, not trained on)", "",
             "| head | " + " | ".join(f"probability holding {share:.1%}" for share in CLEAN_SHARES) + " |",
             "|---|" + "---|" * len(CLEAN_SHARES)]
    for column, head in enumerate(model.heads):
        ranked = np.sort(probabilities[:, column])[::-1]
        cells = [f"{ranked[min(len(ranked) - 1, int(share * len(ranked)))]:.3f}" for share in CLEAN_SHARES]
        lines.append(f"| {head} | " + " | ".join(cells) + " |")
    return lines


def best_f1(labels: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    """The best F1 over thresholds and the threshold reaching it."""
    from sklearn.metrics import precision_recall_curve

    precision, recall, thresholds = precision_recall_curve(labels, scores)
    f1 = 2 * precision[:-1] * recall[:-1] / np.maximum(precision[:-1] + recall[:-1], 1e-12)
    best = int(np.argmax(f1))
    return float(f1[best]), float(thresholds[best])


KNOWN_WEAKNESSES = [
    "## Known weaknesses",
    "",
    "- A bag of n-grams cannot read negation, quotation or who is addressed: the policy's rules (hate_speech's "
    "condemnation and self-naming, personal_attack's targets) carry those, and the model alone only holds for review.",
    "- Tweets and forum posts dominate the data; news comments are a minority (toxic spans, Kaggle).",
    "- English only; identity words are frequent in hateful training rows, so the fairness suite "
    "(tests/pipeline/test_fairness.py) guards identity statements.",
]
# What a card says that depends on the language's sets.
CARD_NOTES = {
    "en": {
        "language": "English",
        "licences": "Research-only sets are in the training data: a newsroom that needs permissively licensed weights "
                    "retrains with `--sources toxic_spans,davidson,stormfront` (CC0, MIT, CC BY-SA 3.0). The CC BY-SA "
                    "share-alike terms of Stormfront apply to these weights. ETHOS (GPLv3) and SOCC (CC BY-NC-SA) are "
                    "measured, never trained on.",
        "labels": [
            "- `toxic`: toxic-spans posts with a span, Davidson hate or offensive, OLID OFF, Kaggle insults, DynaHate "
            "hate; negatives: Davidson neither, OLID NOT, Stormfront noHate, QatarLiving answers.",
            "- `hate`: Davidson hate, Stormfront hate, DynaHate hate, OLID GRP; negatives: the rest of those sets "
            "(DynaHate's `nothate` twins: counter-speech, negation, quotation) and QatarLiving answers.",
            "- `insult`: Kaggle Insult, OLID IND; negatives: Kaggle's other comments, the rest of OLID, QatarLiving "
            "answers.",
        ],
        "dev": "one example in five by a hash of its text",
        "weaknesses": KNOWN_WEAKNESSES,
    },
    "es": {
        "language": "Spanish",
        "licences": "Both sets are research data, as OLID and Kaggle are for the English model. HatEval 2019 "
                    "(CC BY-NC 4.0, non-commercial) is measured on its development split and never in these weights; "
                    "`--sources offendes,mex_a3t,hateval` trains a local model with it, which a newspaper must not "
                    "ship.",
        "labels": [
            "- `toxic`: OffendES offensive to a person (OFP), to a group (OFG) or profane (NOM), MEX-A3T aggressive; "
            "negatives: OffendES not offensive (NO), MEX-A3T not aggressive.",
            "- `hate`: OffendES OFG; negatives: the rest of OffendES (the only hate labels with a licence to ship "
            "are these 212 rows: the head is weak, and the hate rule leans on its Spanish lexicons).",
            "- `insult`: OffendES OFP; negatives: the rest of OffendES.",
        ],
        "dev": "OffendES: one example in five by a hash of its text, and its validation file; MEX-A3T: its val split",
        "weaknesses": [
            "## Known weaknesses",
            "",
            "- Comments on influencers' posts (Spain) and Mexican tweets, not news comments: Cuban, Caribbean and "
            "South American usage is thin, and the policy's Spanish lexicons carry it.",
            "- Few hate labels that may ship (OffendES OFG): hate against immigrants and women (HatEval's kind) is "
            "found mostly by the hate rule's lexicons and grammar.",
            "- A bag of n-grams cannot read negation, quotation or who is addressed; the model alone only holds for "
            "review.",
        ],
    },
}
