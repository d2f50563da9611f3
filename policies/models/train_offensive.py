"""Train the word weights behind policies/models/offensive.tsv: a logistic regression over the distinct words of a sentence.

Training data (never a set the evaluation table reports, except toxic spans' train file, whose figures are then
reported on its trial file only):
- SemEval-2021 Task 5 toxic spans, `toxic_spans/tsd_train.csv` (Civil Comments news comments; CC0): each comment
  with agreed spans is cut into sentences, a sentence holding a marked character is offensive, one without is not.
- Davidson et al. 2017, `davidson/labeled_data.csv` (tweets; MIT): classes hate and offensive against neither,
  given `DAVIDSON_WEIGHT` of a news sentence's weight, since tweets are not the domain.
Words are `moderation.pipeline.normalise` tokens, as the run-time scorer (moderation/pipeline/learned.py) sees them.
A fixed seed shuffles and splits off a fifth of each set for development; the thresholds in the policy were chosen
on that fifth (the script prints precision and recall per threshold there). Pure Python, about a minute:

    .venv/bin/python policies/models/train_offensive.py ../shared/eval policies/models/offensive.tsv
"""
from __future__ import annotations

import ast
import csv
import math
import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from moderation.pipeline.learned import BIAS, parse_weights  # noqa: E402
from moderation.pipeline.normalise import normalise  # noqa: E402

SEED = 20261128
DEV_SHARE = 0.2
DAVIDSON_WEIGHT = 0.3
MIN_DOCUMENTS = 5
FEATURES = 3000
EPOCHS = 8
RATE = 0.1
L2 = 1e-5
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;\n]*")
_TWEET_NOISE = re.compile(r"\bRT\b|@\w+|https?://\S+|&#\d+;")


def toxic_span_sentences(path: Path) -> list[tuple[str, int]]:
    """(sentence, 1 if it holds a marked character) for the comments whose annotators agreed on some span."""
    examples = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            marked = frozenset(ast.literal_eval(row["spans"])) if row["spans"].strip() else frozenset()
            if not marked:
                continue
            for match in _SENTENCE.finditer(row["text"]):
                if match.group().strip():
                    examples.append((match.group(), int(any(i in marked for i in range(*match.span())))))
    return examples


def davidson_tweets(path: Path) -> list[tuple[str, int]]:
    """(tweet without retweet marks, mentions and links, 1 unless its class is "neither")."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [(_TWEET_NOISE.sub(" ", row["tweet"]), int(row["class"] != "2")) for row in csv.DictReader(handle)]


def split(examples: list, rng: random.Random) -> tuple[list, list]:
    """Shuffle and cut off the development share."""
    examples = examples[:]
    rng.shuffle(examples)
    cut = int(len(examples) * (1 - DEV_SHARE))
    return examples[:cut], examples[cut:]


def featurise(examples: list[tuple[str, int]], weight: float) -> list[tuple[frozenset[str], int, float]]:
    return [(frozenset(normalise(text).tokens), label, weight) for text, label in examples]


def train(data: list, vocabulary: set[str], rng: random.Random) -> tuple[float, dict[str, float]]:
    """Logistic regression by AdaGrad over shuffled examples with a small L2 penalty."""
    weights = dict.fromkeys(vocabulary, 0.0)
    squares = dict.fromkeys(vocabulary, 1e-8)
    bias, bias_square = 0.0, 1e-8
    order = list(range(len(data)))
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for index in order:
            words, label, weight = data[index]
            words = [word for word in words if word in weights]
            z = bias + sum(weights[word] for word in words)
            gradient = weight * (1 / (1 + math.exp(-max(-30, min(30, z)))) - label)
            bias_square += gradient * gradient
            bias -= RATE * gradient / math.sqrt(bias_square)
            for word in words:
                step = gradient + L2 * weights[word]
                squares[word] += step * step
                weights[word] -= RATE * step / math.sqrt(squares[word])
    return bias, weights


def report(name: str, bias: float, weights: dict[str, float], data: list) -> None:
    """Precision and recall on development examples at a few probability thresholds."""
    scored = [(1 / (1 + math.exp(-(bias + sum(weights.get(w, 0.0) for w in words)))), label) for words, label, _ in data]
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
        tp = sum(1 for p, label in scored if p >= threshold and label)
        fp = sum(1 for p, label in scored if p >= threshold and not label)
        positives = sum(label for _, label in scored)
        print(f"{name} dev @{threshold}: precision {tp / max(1, tp + fp):.3f} recall {tp / max(1, positives):.3f}")


def main(eval_dir: str, out: str) -> None:
    rng = random.Random(SEED)
    root = Path(eval_dir)
    spans_train, spans_dev = split(toxic_span_sentences(root / "toxic_spans" / "tsd_train.csv"), rng)
    tweets_train, tweets_dev = split(davidson_tweets(root / "davidson" / "labeled_data.csv"), rng)
    data = featurise(spans_train, 1.0) + featurise(tweets_train, DAVIDSON_WEIGHT)
    counts = Counter(word for words, _, _ in data for word in words)
    vocabulary = {word for word, count in counts.items() if count >= MIN_DOCUMENTS}
    bias, weights = train(data, vocabulary, random.Random(SEED))
    kept = set(sorted(weights, key=lambda word: (-abs(weights[word]), word))[:FEATURES])
    bias, weights = train(data, kept, random.Random(SEED))
    lines = [f"# Word weights of a logistic regression; written by policies/models/train_offensive.py (seed {SEED}).",
             "# Data: toxic spans train sentences (CC0) and Davidson tweets (MIT); see the script's docstring.",
             f"{BIAS}\t{bias:.4f}"]
    lines += [f"{word}\t{weights[word]:.4f}" for word in sorted(weights, key=lambda w: (-weights[w], w))
              if abs(weights[word]) >= 0.005]
    Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = parse_weights(Path(out).read_text(encoding="utf-8"))
    report("toxic spans sentences", model.bias, dict(model.weights), featurise(spans_dev, 1.0))
    report("davidson tweets", model.bias, dict(model.weights), featurise(tweets_dev, 1.0))


if __name__ == "__main__":
    main(*sys.argv[1:3])
