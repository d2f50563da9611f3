"""The comment policy as data: load policies/*.toml and its lexicons, validate, freeze, serve to the app."""
from __future__ import annotations

import hashlib
import io
import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from moderation.pipeline.learned import LinearModel, ModelError, ModelUse

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POLICY_FILE = REPO_ROOT / "policies" / "miami-herald.toml"
CATEGORIES = ("profanity", "hate_speech", "personal_attack", "off_topic")
MODES = ("post", "pre")
# What a moderator or reader may name besides the policy's rules, and why a comment may wait besides a rule: one
# name for each wherever it is shown (queue, log, CSV, notice).
OTHER_REASONS = {"spam": "Spam", "other": "Other"}
HOLD_LABELS = {"premoderation": "Pre-moderation", "reports": "Reader reports"}


class PolicyError(ValueError):
    """A policy file that cannot be used; the message names the file, the rule and the field."""

    def __init__(self, path: Path | str, message: str, rule: str | None = None, field: str | None = None):
        where = str(path) + (f": rule {rule!r}" if rule else "") + (f": field {field!r}" if field else "")
        super().__init__(f"{where}: {message}")
        self.path, self.rule, self.field = str(path), rule, field


@dataclass(frozen=True, slots=True, eq=False)
class Rule:
    """One sentence of the page's policy, the filter that enforces it and when it holds or rejects."""

    id: str
    category: str
    title: str
    sentence: str
    clause: str
    filter: str
    params: Mapping[str, Any]
    lexicons: Mapping[str, tuple[str, ...]]
    review_threshold: float
    reject_threshold: float
    model: ModelUse | None

    def action(self, score: float) -> str:
        """What this rule does with a filter score: none, review or reject."""
        if score >= self.reject_threshold:
            return "reject"
        if score >= self.review_threshold:
            return "review"
        return "none"


@dataclass(frozen=True, slots=True)
class NamePolicy:
    """What a display name must pass: the ids of the rules that judge it, and the reserved names it may not contain."""

    rules: tuple[str, ...] = ()
    reserved: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class Policy:
    """A whole comment policy; `version` hashes the file and its lexicons so old verdicts stay explainable."""

    name: str
    version: str
    path: str
    paragraph: str
    max_length: int
    default_mode: str
    premoderation_note: str
    review_within_hours: int
    settings: Mapping[str, Any]
    rules: tuple[Rule, ...]
    names: NamePolicy = NamePolicy()

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id."""
        return next(rule for rule in self.rules if rule.id == rule_id)

    def for_category(self, key: str) -> Rule | None:
        """The rule a verdict's category (or a rule id) names, or None for spam, other and hold reasons."""
        return next((rule for rule in self.rules if key in (rule.category, rule.id)), None)

    def reasons(self) -> list[tuple[str, str]]:
        """(key, name) of what a rejection or a report may name: the rules by their titles, then spam and other."""
        return [(rule.id, rule.title) for rule in self.rules] + list(OTHER_REASONS.items())

    def label(self, key: str) -> str:
        """The one name of a rule, reason or hold wherever it is shown: the rule's title from the policy file
        ("Personal comments"), "Spam", "Pre-moderation"...; an unknown key (a rule of an older policy) as words."""
        rule = self.for_category(key)
        if rule is not None:
            return rule.title
        return OTHER_REASONS.get(key) or HOLD_LABELS.get(key) or key.replace("_", " ").capitalize()


def load_policy(path: str | Path | None = None) -> Policy:
    """Read, validate and freeze a policy file (else $POLICY_FILE, else the Miami Herald policy)."""
    path = Path(path or os.environ.get("POLICY_FILE") or DEFAULT_POLICY_FILE)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PolicyError(path, f"cannot read the file ({error.strerror})") from error
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PolicyError(path, f"not valid TOML: {error}") from error
    digest = hashlib.sha256(raw)
    rules = tuple(_rule(path, rule_id, body, digest) for rule_id, body in _table(path, data, "rules", None).items())
    _check_rules(path, rules)
    names = _names(path, data, rules, digest)  # before the version is read: the reserved names feed it
    return Policy(
        name=_field(path, data, "name", str, None),
        version=digest.hexdigest()[:16],
        path=str(path),
        paragraph=_field(path, data, "paragraph", str, None).strip(),
        max_length=_positive_int(path, data, "max_length"),
        default_mode=_choice(path, data, "default_mode", MODES, None),
        premoderation_note=_field(path, data, "premoderation_note", str, None).strip(),
        review_within_hours=_positive_int(path, data, "review_within_hours"),
        settings=MappingProxyType({k: v for k, v in data.items() if isinstance(v, dict) and k not in ("rules", "names")}),
        rules=rules,
        names=names,
    )


def _names(path: Path, data: dict, rules: tuple[Rule, ...], digest) -> NamePolicy:
    """The optional [names] table: `rules` (ids of this policy's rules) and `reserved` (a file under lexicons/)."""
    table = _table(path, data, "names", None, required=False)
    if not table:
        return NamePolicy()
    names = table.get("rules", [])
    known = [rule.id for rule in rules]
    if not isinstance(names, list) or any(name not in known for name in names):
        raise PolicyError(path, f"must be a list of this policy's rule ids ({', '.join(known)})", None, "names.rules")
    reserved: tuple[str, ...] = ()
    if "reserved" in table:
        filename = _field(path, table, "reserved", str, None, "names.reserved")
        _, raw = _read_beside(path, "lexicons", filename, None, "names.reserved", digest)
        reserved = parse_lexicon(raw.decode("utf-8"))
    return NamePolicy(rules=tuple(names), reserved=reserved)


def _rule(path: Path, rule_id: str, body: Any, digest) -> Rule:
    """Validate one [rules.ID] table and load its lexicons."""
    from moderation.pipeline.filters import FILTERS

    if not isinstance(body, dict):
        raise PolicyError(path, "must be a table", rule_id)
    review = _threshold(path, body, "review_threshold", rule_id)
    reject = _threshold(path, body, "reject_threshold", rule_id)
    if reject < review:
        raise PolicyError(path, "must not be below review_threshold", rule_id, "reject_threshold")
    filter_name = _field(path, body, "filter", str, rule_id)
    if filter_name not in FILTERS:
        raise PolicyError(path, f"unknown filter {filter_name!r} (known: {', '.join(sorted(FILTERS))})", rule_id, "filter")
    sentence = _field(path, body, "sentence", str, rule_id).strip()
    return Rule(
        id=rule_id,
        category=_choice(path, body, "category", CATEGORIES, rule_id),
        title=_field(path, body, "title", str, rule_id),
        sentence=sentence,
        clause=_clause(path, body, sentence, rule_id),
        filter=filter_name,
        params=_with_model_files(path, _params(path, body, rule_id), rule_id, digest),
        lexicons=_lexicons(path, body, rule_id, digest),
        review_threshold=review,
        reject_threshold=reject,
        model=_model_use(path, body, rule_id, digest),
    )


def _clause(path: Path, body: dict, sentence: str, rule_id: str) -> str:
    """The words of the rule's sentence that this rule enforces ("refrain from hate speech"): the notice quotes them
    alone, so they must be the sentence's own words, in its order (words it lists between them may be left out)."""
    clause = " ".join(_field(path, body, "clause", str, rule_id).split())
    remaining = iter(re.findall(r"[\w']+", sentence.lower()))
    if not all(word in remaining for word in re.findall(r"[\w']+", clause.lower())):
        raise PolicyError(path, f"{clause!r} is not words of the rule's sentence, in its order", rule_id, "clause")
    return clause


def _params(path: Path, body: dict, rule_id: str) -> Mapping[str, Any]:
    """The rule's parameters; the entries of a word list (an array) or of a table of spellings must be words."""
    params = _table(path, body, "params", rule_id, required=False)
    for key, value in params.items():
        entries = value.items() if isinstance(value, dict) else enumerate(value, 1) if isinstance(value, list) else ()
        for entry, word in entries:
            if not isinstance(word, str) or not word.strip():
                raise PolicyError(path, f"entry {entry!r} must be a word, not {word!r}", rule_id, f"params.{key}")
    return MappingProxyType(dict(params))


def _with_model_files(path: Path, params: Mapping[str, Any], rule_id: str, digest) -> Mapping[str, Any]:
    """Feed the files that a rule's `*_model` params name (under models/ beside the policy, read by its filter) into
    the version hash, so that a retrained model makes a new policy version, and give the filter their full path, so
    that a policy elsewhere reads its own models; a file that cannot be read is refused."""
    resolved = {}
    for key, filename in params.items():
        if not key.endswith("_model"):
            continue
        file, _ = _read_beside(path, "models", filename, rule_id, f"params.{key}", digest)
        resolved[key] = str(file.resolve())
    return MappingProxyType({**params, **resolved}) if resolved else params


def _read_beside(path: Path, folder: str, filename, rule_id: str, field: str, digest) -> tuple[Path, bytes]:
    """Read a file the policy names under `folder`/ beside it, feeding its name and bytes into the version hash;
    raises PolicyError naming the rule and the field for a name that is not a string or a file that cannot be read."""
    if not isinstance(filename, str):
        raise PolicyError(path, "must be a file name", rule_id, field)
    file = path.parent / folder / filename
    try:
        raw = file.read_bytes()
    except OSError as error:
        raise PolicyError(path, f"cannot read {file} ({error.strerror})", rule_id, field) from error
    digest.update(f"{folder}/{filename}".encode() + b"\0" + raw)
    return file, raw


def _lexicons(path: Path, body: dict, rule_id: str, digest) -> Mapping[str, tuple[str, ...]]:
    """Read the rule's word lists (name -> file under lexicons/ beside the policy), feeding the version hash."""
    files = _table(path, body, "lexicons", rule_id, required=False)
    loaded = {}
    for name, filename in files.items():
        _, raw = _read_beside(path, "lexicons", filename, rule_id, f"lexicons.{name}", digest)
        loaded[name] = parse_lexicon(raw.decode("utf-8"))
    return MappingProxyType(loaded)


def _model_use(path: Path, body: dict, rule_id: str, digest) -> ModelUse | None:
    """Read the rule's `model` table (its artifact under models/ beside the policy, the heads that hold and those that
    confirm with their probabilities, score, explanation), feeding the artifact into the version hash."""
    table = _table(path, body, "model", rule_id, required=False)
    if not table:
        return None
    file, raw = _read_beside(path, "models", _field(path, table, "file", str, rule_id, "model.file"), rule_id,
                             "model.file", digest)
    try:
        model = _load_model(hashlib.sha256(raw).hexdigest(), raw)
    except ModelError as error:
        raise PolicyError(path, f"{file}: {error}", rule_id, "model.file") from error
    heads = {name: _heads(path, table, name, model, rule_id) for name in ("holds", "confirms")}
    return ModelUse(model, heads["holds"], heads["confirms"],
                    _probability(path, table.get("score"), rule_id, "model.score"),
                    _field(path, table, "explanation", str, rule_id, "model.explanation"))


def _heads(path: Path, table: dict, name: str, model: LinearModel, rule_id: str) -> Mapping[str, float]:
    """A table of the model's heads, each with a probability in 0..1."""
    heads = _table(path, table, name, rule_id, field=f"model.{name}")
    for head, probability in heads.items():
        if head not in model.heads:
            raise PolicyError(path, f"no head {head!r} in the model (it has {', '.join(model.heads)})", rule_id,
                              f"model.{name}.{head}")
        _probability(path, probability, rule_id, f"model.{name}.{head}")
    return MappingProxyType(dict(heads))


@lru_cache(maxsize=4)
def _load_model(sha256: str, raw: bytes) -> LinearModel:
    """One model per artifact content, shared by every rule (and policy) that reads it."""
    return LinearModel.load(io.BytesIO(raw))


def _probability(path: Path, value, rule_id: str, field: str) -> float:
    """A number in 0..1."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise PolicyError(path, f"must be a number from 0 to 1, not {value!r}", rule_id, field)
    return float(value)


def parse_lexicon(content: str) -> tuple[str, ...]:
    """Entries of a word list: one a line, lower-cased, `#` starting a comment, blank lines ignored."""
    entries = (line.split("#", 1)[0].strip().lower() for line in content.splitlines())
    return tuple(dict.fromkeys(entry for entry in entries if entry))


def _check_rules(path: Path, rules: tuple[Rule, ...]) -> None:
    """Every category once: the verdict reports all four."""
    seen = [rule.category for rule in rules]
    missing = [c for c in CATEGORIES if c not in seen]
    if missing:
        raise PolicyError(path, f"no rule for {', '.join(missing)}", None, "rules")
    for category in CATEGORIES:
        if seen.count(category) > 1:
            raise PolicyError(path, f"more than one rule for {category}", None, "rules")


def _table(path: Path, data: dict, key: str, rule_id: str | None, required: bool = True, field: str | None = None) -> dict:
    value = data.get(key, None if required else {})
    if not isinstance(value, dict):
        raise PolicyError(path, "missing" if value is None else "must be a table", rule_id, field or key)
    return value


def _field(path: Path, data: dict, key: str, kind: type, rule_id: str | None, field: str | None = None):
    value = data.get(key)
    if value is None:
        raise PolicyError(path, "missing", rule_id, field or key)
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        raise PolicyError(path, f"must be a non-empty {kind.__name__}", rule_id, field or key)
    return value


def _choice(path: Path, data: dict, key: str, choices: tuple[str, ...], rule_id: str | None) -> str:
    value = _field(path, data, key, str, rule_id)
    if value not in choices:
        raise PolicyError(path, f"must be one of {', '.join(choices)}, not {value!r}", rule_id, key)
    return value


def _threshold(path: Path, data: dict, key: str, rule_id: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise PolicyError(path, "must be a number from 0 to 1", rule_id, key)
    return float(value)


def _positive_int(path: Path, data: dict, key: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise PolicyError(path, "must be a positive whole number", None, key)
    return value


def init_app(app) -> None:
    """Load the configured policy once; a broken policy stops the app from starting."""
    app.extensions["policy"] = load_policy(app.config.get("POLICY_FILE"))


def current_policy() -> Policy:
    """The policy the running app enforces."""
    from flask import current_app

    return current_app.extensions["policy"]


def reload_policy(app, path: str | Path | None = None) -> Policy:
    """Switch the app to a new policy file; on PolicyError the old policy stays in force and the error is raised."""
    policy = load_policy(path or app.config.get("POLICY_FILE"))
    app.extensions["policy"] = policy
    return policy
