"""`policy train`: deterministic, writes an artifact the policy loads and a model card naming its data; refuses a
data folder without the sets it was asked for. Trained on a small OLID-shaped file written here, not the real sets."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from moderation.pipeline.learned import LinearModel
from moderation.pipeline.normalise import normalise
from moderation.policy import DEFAULT_POLICY_FILE, load_policy

pytest.importorskip("sklearn")

INSULTS = ["idiot", "moron", "fool", "clown", "loser"]
GROUPS = ["immigrants", "muslims", "refugees", "women"]
TOPICS = ["the talks", "the visa lottery", "the embassy", "the accord", "remittances", "the ferry"]


def olid_rows() -> list[str]:
    """Tweets in OLID's layout: insults at a person (IND), attacks on a group (GRP), and clean remarks (NOT)."""
    rows = ["id\ttweet\tsubtask_a\tsubtask_b\tsubtask_c"]
    for n, (insult, topic) in enumerate((i, t) for i in INSULTS for t in TOPICS):
        rows.append(f"{n}\t@USER you are a total {insult} about {topic}\tOFF\tTIN\tIND")
    for n, (group, topic) in enumerate((g, t) for g in GROUPS for t in TOPICS):
        rows.append(f"{100 + n}\t{group} are vermin and ruin {topic}\tOFF\tTIN\tGRP")
    for n, topic in enumerate(TOPICS * 6):
        rows.append(f"{200 + n}\tI read about {topic} today, number {n}, and learned a lot\tNOT\tNULL\tNULL")
    return rows


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "eval" / "olid"
    folder.mkdir(parents=True)
    (folder / "olid-training-v1.0.tsv").write_text("\n".join(olid_rows()) + "\n", encoding="utf-8")
    return tmp_path / "eval"


def test_training_twice_gives_the_same_model_which_the_policy_loads(runner, data_dir, tmp_path):
    outputs = []
    for name in ("one", "two"):
        result = runner.invoke(args=["policy", "train", "--data", str(data_dir), "--sources", "olid",
                                     "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        outputs.append(LinearModel.load(tmp_path / name / "comments.npz"))
    first, second = outputs
    assert first.vocabulary == second.vocabulary and first.masked == second.masked
    assert np.array_equal(first.weights, second.weights) and np.array_equal(first.calibration, second.calibration)
    assert "muslims" in first.masked  # identity words come from the policy's lexicons
    insult, clean = normalise("you are a total moron"), normalise("I read about the ferry today")
    assert first.probability(insult, "insult") > first.probability(clean, "insult")

    card = (tmp_path / "one" / "comments.md").read_text(encoding="utf-8")
    assert "| olid |" in card and "Development fold" in card

    policies = tmp_path / "policies"
    shutil.copytree(DEFAULT_POLICY_FILE.parent, policies)
    shutil.copy(tmp_path / "one" / "comments.npz", policies / "models" / "comments.npz")
    assert load_policy(policies / DEFAULT_POLICY_FILE.name).rule("hate_speech").model.model.heads == first.heads


def test_a_missing_set_is_named_and_nothing_is_written(runner, tmp_path):
    result = runner.invoke(args=["policy", "train", "--data", str(tmp_path), "--sources", "olid",
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code != 0 and "olid" in result.output and "not found" in result.output
    assert not (tmp_path / "out" / "comments.npz").exists()


def test_an_unknown_set_is_refused(runner, data_dir):
    result = runner.invoke(args=["policy", "train", "--data", str(data_dir), "--sources", "olid,nonsense"])
    assert result.exit_code != 0 and "unknown set(s) nonsense" in result.output


INSULTOS = ["pendejo", "idiota", "payaso", "imbécil", "comemierda"]
GRUPOS = ["inmigrantes", "musulmanes", "refugiados", "mujeres"]
TEMAS = ["las conversaciones", "las visas", "la embajada", "el acuerdo", "las remesas", "el ferry"]


def offendes_rows() -> list[str]:
    """Comments in OffendES's layout: offensive to a person (0), to a group (1), not offensive (2)."""
    rows = ["comment_id,comment,influencer,influencer_gender,media,label"]
    for n, (insult, topic) in enumerate((i, t) for i in INSULTOS for t in TEMAS):
        rows.append(f"{n},eres un {insult} total con {topic},x,man,youtube,0")
    for n, (group, topic) in enumerate((g, t) for g in GRUPOS for t in TEMAS):
        rows.append(f"{100 + n},los {group} son una plaga y arruinan {topic},x,man,youtube,1")
    for n, topic in enumerate(TEMAS * 6):
        rows.append(f"{200 + n},hoy leí sobre {topic} número {n} y aprendí mucho,x,woman,youtube,2")
    return rows


def test_the_same_command_trains_the_spanish_model_with_its_card(runner, tmp_path):
    folder = tmp_path / "eval" / "spanish" / "offendes"
    folder.mkdir(parents=True)
    rows = offendes_rows()
    (folder / "train.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "validation.csv").write_text("\n".join(rows[:1] + rows[1::7]) + "\n", encoding="utf-8")
    result = runner.invoke(args=["policy", "train", "--data", str(tmp_path / "eval"), "--language", "es",
                                 "--sources", "offendes", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    model = LinearModel.load(tmp_path / "out" / "comments-es.npz")
    assert "inmigrantes" in model.masked  # identity words from the Spanish hate rule's lexicons
    insult, clean = normalise("eres un pendejo total"), normalise("hoy leí sobre el ferry")
    assert model.probability(insult, "insult") > model.probability(clean, "insult")
    card = (tmp_path / "out" / "comments-es.md").read_text(encoding="utf-8")
    assert "comments-es.npz" in card and "| offendes |" in card and "HatEval" in card
    assert not (tmp_path / "out" / "comments.npz").exists()


def test_a_language_the_policy_does_not_cover_is_refused(runner, data_dir):
    result = runner.invoke(args=["policy", "train", "--data", str(data_dir), "--language", "fr"])
    assert result.exit_code != 0 and "not 'fr'" in result.output
