"""The policy commands: moderate (one text and streamed JSON lines), evaluate, policy check and policy rescan."""
from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import select

from moderation.commands import policy as policy_commands
from moderation.db import db
from moderation.models import Article, Comment, CommentStatus
from moderation.policy import DEFAULT_POLICY_FILE
from moderation.services.commenting import post_comment
from tests.conftest import create_user


@pytest.fixture
def cli(app, runner):
    """The test runner with the policy commands registered (the lead's command list may not name them yet)."""
    policy_commands.register(app)
    return runner


def test_moderate_prints_the_verdict_json(cli):
    result = cli.invoke(args=["moderate", "What the f.u.c.k"])
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.output)
    assert verdict["verdict"] == "reject"
    assert verdict["categories"]["profanity"]["spans"] == [{"start": 9, "end": 16, "text": "f.u.c.k"}]


def test_moderate_against_a_stored_article(cli):
    slug = db.session.scalar(select(Article.slug))
    result = cli.invoke(args=["moderate", "Will the Havana talks bring Gross home?", "--article", slug])
    assert json.loads(result.output)["verdict"] == "publish"


def test_moderate_refuses_an_unknown_article(cli):
    result = cli.invoke(args=["moderate", "Fine.", "--article", "no-such-story"])
    assert result.exit_code != 0 and "no-such-story" in result.output


def test_moderate_jsonl_writes_one_line_per_input_line_in_order(cli):
    slug = db.session.scalar(select(Article.slug))
    lines = [{"text": "Well said."}, {"text": ""}, {"text": "sh1t", "context": "migration talks"},
             {"text": "Will Gross come home after the Havana talks?", "article": slug},
             {"text": "Fine.", "article": "no-such-story"}]
    stdin = "\n".join(json.dumps(line) for line in lines) + "\nnot json\n"
    result = cli.invoke(args=["moderate", "--jsonl", "-"], input=stdin)
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o.get("verdict") or o.get("error") for o in out] == [
        "publish", "empty", "review", "publish", "bad_input", "bad_input"]
    assert out[-1]["line"] == 6


def test_evaluate_reports_ours_beside_better_profanity(cli, tmp_path):
    data = tmp_path / "labels.csv"
    data.write_text("text,label\nyou are full of sh1t,1\nf.u.c.k,1\nnice point about Havana,0\nhello there,0\n")
    out = tmp_path / "report.json"
    result = cli.invoke(args=["evaluate", str(data), "--category", "profanity", "--text-column", "text",
                              "--label-column", "label", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "better-profanity" in result.output
    report = json.loads(out.read_text())
    assert report["ours"]["f1"] == 1.0
    assert report["better_profanity"]["recall"] < 1.0


def test_policy_check_accepts_the_shipped_policy(cli):
    result = cli.invoke(args=["policy", "check"])
    assert result.exit_code == 0 and result.output.startswith("ok:")


def test_policy_check_names_the_broken_field(cli, tmp_path):
    shutil.copytree(DEFAULT_POLICY_FILE.parent, tmp_path / "policies")
    broken = tmp_path / "policies" / DEFAULT_POLICY_FILE.name
    broken.write_text(broken.read_text().replace('filter = "profanity"', 'filter = "swearing"'))
    result = cli.invoke(args=["policy", "check", str(broken)])
    assert result.exit_code != 0
    assert "rule 'profanity'" in result.output and "field 'filter'" in result.output


def test_rescan_dry_run_shows_changes_and_the_real_run_applies_them(cli, tmp_path):
    article = db.session.scalar(select(Article))
    comment = post_comment(create_user("Ana"), article, "Frack this whole negotiation.")
    db.session.commit()
    assert comment.status is CommentStatus.PUBLISHED
    shutil.copytree(DEFAULT_POLICY_FILE.parent, tmp_path / "policies")
    stricter = tmp_path / "policies" / DEFAULT_POLICY_FILE.name
    lexicon = tmp_path / "policies" / "lexicons" / "profanity-mild.txt"
    lexicon.write_text(lexicon.read_text() + "frack\n")

    dry = cli.invoke(args=["policy", "rescan", "--dry-run", "--policy", str(stricter)])
    assert dry.exit_code == 0, dry.output
    assert f"comment {comment.id}: published -> pending" in dry.output
    db.session.refresh(comment)
    assert comment.status is CommentStatus.PUBLISHED

    real = cli.invoke(args=["policy", "rescan", "--policy", str(stricter)])
    assert "changed: 1 published -> pending" in real.output
    stored = db.session.get(Comment, comment.id)
    assert stored.status is CommentStatus.PENDING
    assert stored.verdict["categories"]["profanity"]["spans"][0]["text"] == "Frack"
    assert [flag.category for flag in stored.flags] == ["profanity"]
