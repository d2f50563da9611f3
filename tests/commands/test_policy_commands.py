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
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("verdict") or o.get("error") for o in out] == [
        "publish", "empty", "review", "publish", "bad_input", "bad_input"]
    assert out[-1]["line"] == 6
    assert result.exit_code == 1


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


def test_moderate_jsonl_answers_every_bad_line_in_place_and_exits_non_zero(cli):
    lines = [b'{"text": "Well said."}', b'"text"', b"null", b"[1,2]", b'{"text": 5}', b'{"context": "talks"}',
             b'{"text": "Fine.", "article": ["x"]}', b'{"text": "\\ud800 shit"}', b'{"text": "a\\u0000b"}',
             '{"text": "bad byte \xff"}'.encode("latin-1"), b"not json", b'{"text": "Still judged."}']
    result = cli.invoke(args=["moderate", "--jsonl", "-"], input=b"\n".join(lines) + b"\n")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("verdict") or (o["error"], o["line"]) for o in out] == [
        "publish", *[("bad_input", number) for number in range(2, 12)], "publish"]
    assert [o.get("field") for o in out[1:9]] == ["line", "line", "line", "text", "text", "article", "text", "text"]
    assert "lone surrogate U+D800" in out[7]["message"] and "NUL" in out[8]["message"]
    assert result.exit_code == 1
    assert "10 of 12 lines were not judged" in result.stderr


def test_moderate_jsonl_exits_zero_when_every_line_is_judged(cli):
    result = cli.invoke(args=["moderate", "--jsonl", "-"], input='{"text": "Well said."}\n\n{"text": "Fine."}\n')
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["verdict"] for line in result.stdout.splitlines()] == ["publish", "publish"]


def test_moderate_refuses_an_argument_that_is_not_unicode_text(cli):
    result = cli.invoke(args=["moderate", "bad byte \udcff"])  # how Python hands over an argv byte that is not UTF-8
    assert result.exit_code == 2
    assert "lone surrogate U+DCFF" in result.output and "Traceback" not in result.output


def test_evaluate_reports_each_malformed_row_scores_the_rest_and_exits_non_zero(cli, tmp_path):
    data = tmp_path / "labels.jsonl"
    lines = ['{"text": "sh1t", "label": 1}', '"text"', '{"text": 5, "label": 1}', '{"label": 0}',
             '{"text": "fine", "label": "maybe"}', '{"text": "\\ud800", "label": 0}', "not json",
             '{"text": "nice point about Havana", "label": 0}']
    data.write_text("\n".join(lines) + "\n")
    out = tmp_path / "report.json"
    result = cli.invoke(args=["evaluate", str(data), "--category", "profanity", "--text-column", "text",
                              "--label-column", "label", "--json", str(out)])
    assert result.exit_code == 1
    assert [line.split(":")[1].strip() for line in result.stderr.splitlines()[:6]] == [
        f"skipped line {number}" for number in range(2, 8)]
    assert "6 malformed rows skipped" in result.stderr
    assert json.loads(out.read_text())["rows"] == 2


def test_evaluate_skips_a_csv_row_that_is_short_or_not_utf8(cli, tmp_path):
    data = tmp_path / "labels.csv"
    data.write_bytes(b"text,label\nsh1t,1\nshort\nbad \xff byte,1\nhello there,0\n")
    result = cli.invoke(args=["evaluate", str(data), "--category", "profanity", "--text-column", "text",
                              "--label-column", "label"])
    assert result.exit_code == 1
    assert "2 rows" in result.stdout
    assert "skipped line 3:" in result.stderr and "skipped line 4: 'text' holds a lone surrogate" in result.stderr


def test_evaluate_names_a_missing_column_without_a_traceback(cli, tmp_path):
    data = tmp_path / "labels.csv"
    data.write_text("body,label\nx,1\n")
    result = cli.invoke(args=["evaluate", str(data), "--category", "profanity", "--text-column", "text",
                              "--label-column", "label"])
    assert result.exit_code == 1
    assert "no column 'text'" in result.output and "Traceback" not in result.output
