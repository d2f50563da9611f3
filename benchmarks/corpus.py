"""The benchmark corpus: comments of three lengths, clean and abusive, some with evasions, rebuilt the same from a seed.

Texts come from the 800 comments that ship in benchmarks/data (see its README) or, with `eval_dir`, from the larger
public labelled sets (news and social comments); longer comments are several of them joined, an abusive one keeping
its abusive piece somewhere inside clean ones, as real long comments do. A third of the abusive comments have the
words that better-profanity's list knows disguised (f.u.c.k, sh1t, zero-width spaces, Cyrillic look-alikes, stretched
letters), so that both the product and the baseline see the same evasions.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import json
import random
import re
from dataclasses import asdict, dataclass
from pathlib import Path

SHIPPED_DIR = Path(__file__).resolve().parent / "data"
SEED = 20240601
# Target length and the accepted range for each class; long comments span 2,000 characters to the policy's 5,000.
LENGTH_CLASSES = {"short": (80, 60, 100), "typical": (300, 240, 360), "long": (3500, 2000, 5000)}
KINDS = ("clean", "abusive")
LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"})
HOMOGLYPHS = str.maketrans({"a": "\u0430", "e": "\u0435", "o": "\u043e", "c": "\u0441", "p": "\u0440", "x": "\u0445"})


@dataclass(frozen=True, slots=True)
class Sample:
    """One benchmark comment."""

    length_class: str
    kind: str
    evasive: bool
    text: str


def build_corpus(eval_dir: Path | None = None, per_group: int = 200, seed: int = SEED) -> list[Sample]:
    """`per_group` comments for each length class and kind, the same for the same data and seed."""
    rng = random.Random(seed)
    clean, abusive = _load_pools(eval_dir) if eval_dir else _shipped_pools()
    rng.shuffle(clean)
    rng.shuffle(abusive)
    known_words = frozenset(baseline_word_list())  # the evasions target what the baseline knows
    samples = []
    for length_class, (target, low, high) in LENGTH_CLASSES.items():
        for kind in KINDS:
            for index in range(per_group):
                text = _compose(rng, clean, abusive if kind == "abusive" else None, target, low, high)
                evasive = kind == "abusive" and index % 3 == 0
                if evasive:
                    text = _evade(rng, text, known_words)[:high]
                samples.append(Sample(length_class, kind, evasive, text))
    return samples


def corpus_digest(samples: list[Sample]) -> str:
    """A short fingerprint, printed with the results so two runs can be seen to have used the same comments."""
    digest = hashlib.sha256()
    for sample in samples:
        digest.update(json.dumps(asdict(sample), ensure_ascii=False).encode())
    return digest.hexdigest()[:12]


def write_jsonl(samples: list[Sample], path: Path) -> Path:
    """One JSON object a line, for the wrk scripts and the database loaders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for sample in samples:
            out.write(json.dumps(asdict(sample), ensure_ascii=False) + "\n")
    return path


def _compose(rng: random.Random, clean: list[str], abusive: list[str] | None, target: int, low: int, high: int) -> str:
    """Join pool texts until the length falls in [low, high]; an abusive comment gets one or more abusive pieces."""
    pieces = [rng.choice(abusive)] if abusive else []
    while sum(len(p) + 1 for p in pieces) < low:
        pool = abusive if abusive and rng.random() < 0.15 else clean
        pieces.insert(rng.randrange(len(pieces) + 1), rng.choice(pool))
    text = " ".join(pieces)
    if len(text) > high:
        text = _cut(text, high if abusive else target + (high - target) // 2)
    return text


def _cut(text: str, limit: int) -> str:
    """Shorten to at most `limit` characters at a word boundary."""
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit * 0.8 else cut


def _evade(rng: random.Random, text: str, known_words: frozenset[str]) -> str:
    """Disguise every word of the text that the baseline's list knows, each with a randomly chosen trick."""
    def disguise(match: re.Match) -> str:
        word = match.group(0)
        if word.lower() not in known_words:
            return word
        trick = rng.randrange(6)
        if trick == 0:
            return word.translate(LEET)
        if trick == 1:
            return ".".join(word)
        if trick == 2:
            return word[0] + "*" * (len(word) - 2) + word[-1] if len(word) > 3 else word[0] + "*" * (len(word) - 1)
        if trick == 3:
            return "\u200b".join(word)
        if trick == 4:
            return word.translate(HOMOGLYPHS)
        return "".join(ch * 3 if ch.lower() in "aeiou" else ch for ch in word)

    return re.sub(r"[A-Za-z]+", disguise, text)


def _shipped_pools() -> tuple[list[str], list[str]]:
    """The clean and abusive comments that ship with the repository, one a line, already tidied."""
    clean, abusive = ((SHIPPED_DIR / f"{kind}.txt").read_text(encoding="utf-8").splitlines() for kind in KINDS)
    return clean, abusive


def _load_pools(eval_dir: Path) -> tuple[list[str], list[str]]:
    """Clean and abusive texts from the labelled sets, cleaned of markup, handles and escapes."""
    if not eval_dir.is_dir():
        raise FileNotFoundError(f"{eval_dir} not found: --eval-dir names a folder holding kaggle_insults/, olid/ "
                                "and toxic_spans/")
    clean, abusive = [], []
    with (eval_dir / "kaggle_insults" / "train.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            (abusive if row["Insult"] == "1" else clean).append(_kaggle_text(row["Comment"]))
    with (eval_dir / "olid" / "olid-training-v1.0.tsv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE):
            (abusive if row["subtask_a"] == "OFF" else clean).append(row["tweet"])
    with (eval_dir / "toxic_spans" / "tsd_train.csv").open(encoding="utf-8", newline="") as file:
        abusive.extend(row["text"] for row in csv.DictReader(file) if row["spans"] != "[]")
    return _tidy(clean), _tidy(abusive)


def _kaggle_text(raw: str) -> str:
    """Kaggle's comments are quoted and carry literal escapes of latin-1-decoded UTF-8."""
    text = raw.strip().strip('"')
    try:
        return codecs.decode(text, "unicode_escape").encode("latin-1").decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return codecs.decode(text, "unicode_escape")


def _tidy(texts: list[str]) -> list[str]:
    """Drop handles, URLs and markup; keep texts with at least a few words."""
    tidied = []
    for text in texts:
        text = re.sub(r"@USER|URL|<[^>]+>|https?://\S+", " ", text)
        text = re.sub(r"\s+", " ", text).strip()
        if len(text) >= 20:
            tidied.append(text)
    return tidied


def baseline_word_list() -> list[str]:
    """better-profanity's shipped word list, lower-cased."""
    from importlib.resources import files

    raw = files("better_profanity").joinpath("profanity_wordlist.txt").read_text(encoding="utf-8")
    return [line.strip().lower() for line in raw.splitlines() if line.strip()]
