"""The public labelled sets (the `eval/` folder handed to `policy train` and `evaluate --all`) read as examples with a
label per model head, a fixed train/dev split, and what the product's evaluation measures on each.

Heads (what a model learns; eval/README.md maps the sets onto the policy's rules):

- `toxic`: any incivility (insult, profanity aimed or not, identity attack, threat);
- `hate`: hate speech against a group (identity attack);
- `insult`: a personal attack on someone.

A head missing from an example's labels is unknown for it (a toxic-spans post may or may not be hate) and is left out
of that head's training. Every set's licence is recorded here, so the model card can say what a model was made from.
"""
from __future__ import annotations

import ast
import csv
import hashlib
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from moderation.evaluation import decode_escapes
from moderation.pipeline.types import ModerationContext

HEADS = ("toxic", "hate", "insult")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
DEV_SHARE = 5  # one example in five, by a hash of its text, is held out for development


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled comment: its labels per head, the context it was written in, and the toxic characters if known."""

    text: str
    labels: dict[str, bool]
    source: str
    context: ModerationContext = field(default_factory=ModerationContext)
    chars: frozenset[int] | None = None
    # "train" or "dev" for a set that comes split by its authors (HatEval, MEX-A3T); None: split by a hash.
    split: str | None = None

    @property
    def dev(self) -> bool:
        """Whether the example is in the development fold: its authors' development split, or else a fixed fifth by
        a hash of its text (the same in every run and on every machine)."""
        if self.split is not None:
            return self.split == "dev"
        digest = hashlib.blake2b(self.text.encode("utf-8", "replace"), digest_size=4).digest()
        return int.from_bytes(digest, "big") % DEV_SHARE == 0


@dataclass(frozen=True, slots=True)
class Source:
    """A public set: where it lives under eval/, its licence, and whether shipped models may be trained on it."""

    name: str
    path: str
    licence: str
    trainable: bool
    language: str = "en"


SOURCES = {source.name: source for source in (
    Source("toxic_spans", "toxic_spans/tsd_train.csv", "CC0 (SemEval-2021 Task 5)", True),
    Source("davidson", "davidson/labeled_data.csv", "MIT (Davidson et al. 2017)", True),
    Source("stormfront", "stormfront/stormfront_sentences.csv", "CC BY-SA 3.0 (de Gibert et al. 2018)", True),
    Source("dynahate", "dynahate/dynahate_dev.csv", "research data, cite Vidgen et al. 2021", True),
    Source("kaggle_insults", "kaggle_insults/train.csv", "Kaggle competition data, research and evaluation", True),
    Source("olid", "olid/olid-training-v1.0.tsv", "research data (Zampieri et al. 2019)", True),
    Source("qatarliving", "semeval2016_qatarliving/SemEval2016-Task3-CQA-QL-train-part2.xml",
           "research use (SemEval-2016 Task 3)", True),
    Source("youtube_spam", "youtube_spam", "UCI, cite Alberto et al. 2015", True),
    # Measured only: GPLv3 data would bind the weights, and SOCC is CC BY-NC-SA, development only.
    Source("ethos", "ethos/Ethos_Dataset_Binary.csv", "GPLv3 (measured only)", False),
    Source("socc", "socc/SFU_constructiveness_toxicity.csv", "CC BY-NC-SA 4.0 (measured only)", False),
    Source("toxic_spans_trial", "toxic_spans/tsd_trial.csv", "CC0 (held out)", False),
    # Spanish. HatEval is CC BY-NC: measured on its development split, never in shipped weights (`--sources hateval`
    # trains a local model on its training split).
    Source("offendes", "spanish/offendes", "research use (OffendES, Plaza-del-Arco et al. 2021)", True, "es"),
    Source("mex_a3t", "spanish/mex_a3t_2020/mexa3t2020_train_all.tsv", "research use (MEX-A3T 2020, Aragón et al.)",
           True, "es"),
    Source("hateval", "spanish/hateval2019", "CC BY-NC 4.0 (HatEval 2019, Basile et al.; measured only)", False, "es"),
    Source("offendes_clean", "spanish/offendes", "research use (OffendES; its clean comments, measured)", False, "es"),
)}


def read(data_dir: Path, name: str) -> Iterator[Example]:
    """The examples of one set; raises FileNotFoundError naming the file when it is not under `data_dir`."""
    path = data_dir / SOURCES[name].path
    if not path.exists():
        raise FileNotFoundError(f"{path}: not found (expected the public set {name!r} under {data_dir})")
    yield from _READERS[name](path)


def training_examples(data_dir: Path, names: tuple[str, ...] | None = None, language: str = "en") -> list[Example]:
    """Every example of the trainable sets in `language` (ISO 639-1) under `data_dir` (or of `names`), in a fixed
    order."""
    chosen = names or tuple(name for name, source in SOURCES.items()
                            if source.trainable and source.language == language)
    return [example for name in chosen for example in read(data_dir, name)]


def _csv(path: Path, delimiter: str = ",") -> Iterator[dict]:
    """Rows of a CSV or TSV file as dictionaries."""
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter=delimiter)


def _toxic_spans(path: Path) -> Iterator[Example]:
    """Civil Comments posts with toxic character offsets. Every post there is from the toxic part of Civil Comments
    (eval/README.md), so whole posts would teach that news-comment style is toxic: the training file gives one
    example per sentence instead, positive for `toxic` when the annotators marked characters in it and negative when
    a sentence of five words or more holds none. The trial file stays whole posts, for the span measure."""
    trial = "trial" in path.name
    for row in _csv(path):
        chars = frozenset(ast.literal_eval(row["spans"]))
        if trial:
            yield Example(row["text"], {"toxic": bool(chars)} if chars else {}, "toxic_spans_trial", chars=chars)
            continue
        if not chars:
            continue
        for match in _SENTENCE.finditer(row["text"]):
            marked = any(match.start() <= char < match.end() for char in chars)
            if marked or len(match.group().split()) >= 5:
                yield Example(match.group(), {"toxic": marked}, "toxic_spans")


def _davidson(path: Path) -> Iterator[Example]:
    """Tweets: class 0 hate, 1 offensive (toxic, not hate), 2 neither."""
    for row in _csv(path):
        kind = row["class"]
        yield Example(row["tweet"], {"toxic": kind != "2", "hate": kind == "0"}, "davidson")


def _stormfront(path: Path) -> Iterator[Example]:
    """Forum sentences: hate or noHate (relation and idk/skip are left out: they need their neighbours)."""
    for row in _csv(path):
        if row["label"] in ("hate", "noHate"):
            hate = row["label"] == "hate"
            yield Example(row["text"], {"hate": hate, **({} if hate else {"toxic": False})}, "stormfront")


def _dynahate(path: Path) -> Iterator[Example]:
    """Adversarial hate and its `nothate` twins (counter-speech, negation, quotation, swearing at no group)."""
    for row in _csv(path):
        hate = row["label"] == "hate"
        yield Example(row["text"], {"hate": hate, **({"toxic": True} if hate else {})}, "dynahate")


def _kaggle_insults(path: Path) -> Iterator[Example]:
    """News and forum comments: Insult 1 or 0; a non-insult may still swear or attack a group."""
    for row in _csv(path):
        insult = row["Insult"] == "1"
        yield Example(decode_escapes(row["Comment"]), {"insult": insult, **({"toxic": True} if insult else {})},
                      "kaggle_insults")


def _olid(path: Path) -> Iterator[Example]:
    """Tweets: OFF/NOT; TIN targeted or UNT untargeted; IND an individual, GRP a group, OTH other."""
    for row in _csv(path, "\t"):
        offensive = row["subtask_a"] == "OFF"
        target = row["subtask_c"]
        labels = {"toxic": offensive, "insult": target == "IND", "hate": target == "GRP"}
        if offensive and target not in ("IND", "GRP", "OTH"):
            labels = {"toxic": True, "insult": False, "hate": False}
        yield Example(row["tweet"], labels, "olid")


def _qatarliving(path: Path) -> Iterator[Example]:
    """Forum answers judged against their question (its subject and body as the `article`): `Bad` answers are off
    point; every answer is a clean example for the toxicity heads."""
    root = ElementTree.parse(path).getroot()
    for thread in root.iter("Thread"):
        question = thread.find("RelQuestion")
        subject = question.findtext("RelQSubject") or ""
        body = question.findtext("RelQBody") or ""
        context = ModerationContext(article_title=subject, article_text=body)
        for comment in thread.iter("RelComment"):
            text = comment.findtext("RelCText") or ""
            if text.strip():
                relevance = comment.get("RELC_RELEVANCE2RELQ")
                yield Example(text, {"toxic": False, "hate": False, "insult": False, "off_topic": relevance == "Bad"},
                              "qatarliving", context)


def _youtube_spam(path: Path) -> Iterator[Example]:
    """Video comments: CLASS 1 spam (off point, with no article to judge by) or 0."""
    for file in sorted(path.glob("Youtube0*.csv")):
        for row in _csv(file):
            yield Example(row["CONTENT"], {"off_topic": row["CLASS"] == "1"}, "youtube_spam")


def _ethos(path: Path) -> Iterator[Example]:
    """YouTube and Reddit comments: hate when isHate ≥ 0.5."""
    for row in _csv(path, ";"):
        yield Example(row["comment"], {"hate": float(row["isHate"]) >= 0.5}, "ethos")


def _socc(path: Path) -> Iterator[Example]:
    """Globe and Mail reader comments under their article's title; only the constructive, non-toxic ones (the clean
    news comments the policy must publish) are examples."""
    for row in _csv(path):
        if row["is_constructive"] == "yes" and row["is_toxic_popular_answer_1"] == "1":
            context = ModerationContext(article_title=row["title"])
            yield Example(row["comment"], {"toxic": False, "hate": False, "insult": False, "off_topic": False},
                          "socc", context)


def _offendes(path: Path) -> Iterator[Example]:
    """Comments on influencers' posts: label 0 OFP offensive to a person (insult), 1 OFG offensive to a group (the
    nearest to hate), 2 NO not offensive, 3 NOM not offensive but profane (toxic for this policy, which asks readers
    to refrain from profanity). train.csv is split by a hash; the authors' 100-row validation.csv is development."""
    for name, split in (("train.csv", None), ("validation.csv", "dev")):
        for row in _csv(path / name):
            label = row["label"]
            yield Example(row["comment"], {"toxic": label != "2", "insult": label == "0", "hate": label == "1"},
                          "offendes", split=split)


def _offendes_clean(path: Path) -> Iterator[Example]:
    """OffendES's not-offensive comments (label 2) of the development fold: clean Spanish comments to publish."""
    for example in _offendes(path):
        if example.dev and not example.labels["toxic"]:
            yield Example(example.text, {"toxic": False, "hate": False, "insult": False}, "offendes_clean", split="dev")


def _mex_a3t(path: Path) -> Iterator[Example]:
    """Mexican tweets: aggressive 1 or 0, in the authors' train, val and test_full splits (val is development;
    test_full is left alone)."""
    for row in _csv(path, "\t"):
        if row["giov_split"] in ("train", "val"):
            yield Example(row["text"], {"toxic": row["aggressive"] == "1"}, "mex_a3t",
                          split="train" if row["giov_split"] == "train" else "dev")


def _hateval(path: Path) -> Iterator[Example]:
    """Spanish tweets about immigrants and women: HS hate, TR aimed at one person (insult), AG aggressive; the
    authors' train and dev files."""
    for name, split in (("train_es.tsv", "train"), ("dev_es.tsv", "dev")):
        for row in _csv(path / name, "\t"):
            hate = row["HS"] == "1"
            yield Example(row["text"], {"hate": hate, "insult": row["TR"] == "1", "toxic": hate or row["AG"] == "1"},
                          "hateval", split=split)


_READERS = {
    "toxic_spans": _toxic_spans, "toxic_spans_trial": _toxic_spans, "davidson": _davidson, "stormfront": _stormfront,
    "dynahate": _dynahate, "kaggle_insults": _kaggle_insults, "olid": _olid, "qatarliving": _qatarliving,
    "youtube_spam": _youtube_spam, "ethos": _ethos, "socc": _socc, "offendes": _offendes,
    "offendes_clean": _offendes_clean, "mex_a3t": _mex_a3t, "hateval": _hateval,
}
