"""`moderate`, `evaluate`, `policy check` and `policy rescan`: the policy engine from the command line."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from moderation.api.schema import body_problem
from moderation.db import db
from moderation.evaluation import (CATEGORIES, MalformedRow, better_profanity_check, evaluate as run_evaluation,
                                   read_rows)
from moderation.inputs import STORABLE_TEXT
from moderation.pipeline import moderate as moderate_text
from moderation.pipeline.types import ModerationContext, Refused
from moderation.jobs import failed_job_count, job_queue, requeue_abandoned
from moderation.models import Article, RescanRun
from moderation.policy import PolicyError, current_policy, load_policy
from moderation.services import rescan

policy_group = AppGroup("policy", help="Check a policy file, or re-run a policy over stored comments.")
FOLLOW_SECONDS = 0.5  # how often the rescan command reads the workers' progress
LOST_JOBS_SECONDS = 5  # chunks left, nothing queued or running, for this long: the queue lost them


@click.command("moderate")
@click.argument("text", required=False, type=STORABLE_TEXT)
@click.option("--article", "slug", type=STORABLE_TEXT, help="Judge relevance against this stored article.")
@click.option("--jsonl", "jsonl", type=click.File("rb"),
              help='JSON lines {"text", "article"?, "context"?}; "-" reads standard input. A bad line gets an error '
                   "object with its line number and the run goes on; the exit status is 1 if any line had one.")
def moderate_command(text: str | None, slug: str | None, jsonl) -> None:
    """Print the verdict JSON for TEXT, or one verdict line per input line with --jsonl (streamed, in order)."""
    if (text is None) == (jsonl is None):
        raise click.UsageError("give either TEXT or --jsonl FILE")
    policy = current_policy()
    if text is not None:
        try:
            click.echo(json.dumps(moderate_text(text, _context(slug, None), policy).to_dict(), ensure_ascii=False))
        except Refused as refused:
            raise click.ClickException(f"refused ({refused.code}): {refused.message}") from None
        return
    articles: dict[str, ModerationContext] = {}
    judged = failed = 0
    for number, line in enumerate(jsonl, 1):
        if line.strip():
            answer = _judge_line(line, number, slug, policy, articles)
            judged += 1
            failed += "error" in answer
            click.echo(json.dumps(answer, ensure_ascii=False))
            sys.stdout.flush()
    if failed:
        click.echo(f"{failed} of {judged} lines were not judged", err=True)
        click.get_current_context().exit(1)


def _judge_line(line: bytes, number: int, slug: str | None, policy, articles: dict) -> dict:
    """One input line's verdict, or an error object in its place so output lines stay aligned with input; the
    line is checked as the API checks a ModerateRequest. Stored articles are looked up once per slug, free-text
    contexts are not kept."""
    try:
        item = json.loads(line)  # bytes: decoded here, so a line that is not UTF-8 is one bad line, not the end
    except (ValueError, RecursionError) as error:
        return {"error": "bad_input", "message": f"not a line of JSON: {error}", "line": number}
    problem = body_problem("ModerateRequest", item, root="line")
    if problem is not None:
        return {"error": "bad_input", "field": problem[0], "message": problem[1], "line": number}
    try:
        article = item.get("article") or slug
        if item.get("context") is not None or not article:
            context = ModerationContext(article_text=item.get("context") or "")
        else:
            if article not in articles:
                articles[article] = _context(article, None)
            context = articles[article]
        return moderate_text(item["text"], context, policy).to_dict()
    except Refused as refused:
        return {"error": refused.code, "message": refused.message, "line": number}
    except click.ClickException as error:
        return {"error": "bad_input", "message": error.message, "line": number}


def _context(slug: str | None, context_text: str | None) -> ModerationContext:
    """The article a comment is judged against: a stored one by slug, or free text given with it."""
    if slug:
        article = db.session.scalar(select(Article).where(Article.slug == slug))
        if article is None:
            raise click.ClickException(f"no article with slug {slug!r}")
        return ModerationContext(article_title=article.title, article_text=article.body)
    return ModerationContext(article_text=context_text or "")


@click.command("evaluate")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--category", type=click.Choice(CATEGORIES))
@click.option("--text-column")
@click.option("--label-column")
@click.option("--unescape", is_flag=True, help="Decode literal \\n and \\xNN escapes in the text (Kaggle insults).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), help="Write the full report here.")
@click.option("--all", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Instead of FILE: every public set under this folder (the eval/ layout), on its held-out rows.")
@click.option("--anchors/--no-anchors", default=True,
              help="With --all: measure better-profanity and alt-profanity-check too (minutes: ~50 ms a comment).")
@click.option("--write", "write_to", type=click.Path(dir_okay=False, path_type=Path),
              help="With --all: put the table between the evaluation markers of this file (the README).")
def evaluate_command(file: Path | None, category: str | None, text_column: str | None, label_column: str | None,
                     unescape: bool, json_out, data_dir: Path | None, anchors: bool, write_to: Path | None) -> None:
    """Precision, recall, F1, false-positive rate and worst misses on a labelled CSV/TSV/JSONL, beside better-profanity;
    or, with --all DIR, the README's table over every public set and the fairness suite's share held per identity
    term. A malformed row is reported and skipped; the exit status is 1 if there was one."""
    if data_dir is not None:
        _evaluate_all(data_dir, anchors, write_to)
        return
    if file is None or not (category and text_column and label_column):
        raise click.UsageError("give FILE with --category, --text-column and --label-column, or --all DIR")
    malformed: list[MalformedRow] = []

    def skip(row: MalformedRow) -> None:
        malformed.append(row)
        click.echo(f"{file.name}: skipped {row}", err=True)

    rows = read_rows(file, text_column, label_column, unescape, on_malformed=skip)
    try:
        report = run_evaluation(rows, category, current_policy(), better_profanity_check())
    except KeyError as error:
        raise click.ClickException(error.args[0]) from None
    click.echo(f"{file.name}: {report.rows} rows, category {category}")
    click.echo(f"{'':18}{'precision':>10}{'recall':>10}{'F1':>10}{'FPR':>10}   confusion")
    for name, figures in (("policy", report.ours), ("better-profanity", report.better_profanity)):
        c = figures["confusion"]
        click.echo(f"{name:18}{figures['precision']:>10.3f}{figures['recall']:>10.3f}{figures['f1']:>10.3f}"
                   f"{figures['false_positive_rate']:>10.3f}   tp={c['tp']} fp={c['fp']} fn={c['fn']} tn={c['tn']}")
    if report.span_f1 is not None:
        click.echo(f"character-span F1 (policy): {report.span_f1:.3f}")
    for kind, misses in report.worst_misses.items():
        click.echo(f"worst {kind.replace('_', ' ')}:")
        for miss in misses[:5]:
            click.echo(f"  {miss['score']:.2f}  {miss['text'][:120]!r}")
    if json_out:
        json_out.write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
    if malformed:
        click.echo(f"{file.name}: {len(malformed)} malformed rows skipped", err=True)
        click.get_current_context().exit(1)


def _evaluate_all(data_dir: Path, anchors: bool, write_to: Path | None) -> None:
    """Print (and write) the table of every held-out measure, then the fairness suite's share held per term."""
    from moderation.training import fairness, measure

    policy = current_policy()
    table = measure.markdown(measure.measure_all(data_dir, policy, anchors, echo=lambda line: click.echo(line, err=True)))
    click.echo(table)
    held = fairness.held_per_term(policy)
    worst = sorted(held.items(), key=lambda pair: -pair[1])
    click.echo(f"identity statements held: {sum(held.values()) / len(held):.1%} on average; most held: "
               + ", ".join(f"{term} {share:.0%}" for term, share in worst[:5]))
    if write_to is not None:
        try:
            measure.write_between_markers(write_to, table)
        except ValueError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"table written into {write_to}", err=True)


@policy_group.command("train")
@click.option("--data", "data_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The folder of public labelled sets (the eval/ layout: toxic_spans/, davidson/, ...).")
@click.option("--sources", help="Comma-separated sets to train on (default: every trainable set present).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the artifacts and model cards (default: models/ beside the policy).")
@click.option("--language", default="en", show_default=True,
              help="The language whose comments model to train (ISO 639-1: en, es), or 'all' for every language "
                   "the policy covers.")
def train_command(data_dir: Path, sources: str | None, out_dir: Path | None, language: str) -> None:
    """Train the learned rules on the public sets and write their artifacts and model cards: the comments model of
    each language (toxic, hate, insult heads; comments.npz for English, comments-es.npz for Spanish) and, when its
    sets are among the sources, the English off-topic relevance model (needs the `train` extra; deterministic; a few
    minutes on two cores)."""
    try:
        from moderation.training import datasets, relevance, train
    except ImportError as error:
        raise click.ClickException(f"{error}: install the train extra (pip install -e '.[train]')") from None
    chosen = tuple(name.strip() for name in sources.split(",")) if sources else None
    unknown = [name for name in chosen or () if name not in datasets.SOURCES]
    if unknown:
        raise click.UsageError(f"unknown set(s) {', '.join(unknown)}; known: {', '.join(datasets.SOURCES)}")
    policy = current_policy()
    languages = policy.detector.covered if language == "all" else (language,)
    if any(code not in policy.languages for code in languages):
        raise click.UsageError(f"the policy covers {', '.join(policy.detector.covered)}, not {language!r}")
    out_dir = out_dir or Path(policy.path).parent / "models"
    out_dir.mkdir(parents=True, exist_ok=True)
    for code in languages:
        groups = policy.in_language(code).rule("hate_speech").lexicons
        masked = train.identity_words((*groups.get("groups", ()), *groups.get("group_adjectives", ())))
        in_language = tuple(name for name in chosen or () if datasets.SOURCES[name].language == code) or None
        if chosen and in_language is None:
            continue
        try:
            trained = train.train(data_dir, in_language, masked, echo=lambda line: click.echo(line, err=True),
                                  language=code)
        except (FileNotFoundError, ValueError) as error:
            raise click.ClickException(str(error)) from None
        artifact, card = train.artifact_names(code)
        trained.model.save(out_dir / artifact)
        (out_dir / card).write_text(trained.card, encoding="utf-8")
        click.echo(f"wrote {out_dir / artifact} and {out_dir / card}")
    if "en" in languages and (chosen is None or set(relevance.SOURCES) <= set(chosen)):
        relevance.train(data_dir, out_dir, echo=lambda line: click.echo(line, err=True))
        click.echo(f"wrote {out_dir / relevance.ARTIFACT}")


@policy_group.command("check")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
def check_command(file: Path | None) -> None:
    """Validate a policy file and its lexicons (the configured policy by default)."""
    try:
        policy = load_policy(file or current_app.config.get("POLICY_FILE"))
    except PolicyError as error:
        raise click.ClickException(str(error)) from None
    words = sum(len(entries) for rule in policy.rules for entries in rule.lexicons.values())
    click.echo(f"ok: {policy.path}: {policy.name} version {policy.version}, "
               f"{len(policy.rules)} rules, {words} lexicon entries")
    for rule in policy.rules:
        click.echo(f"  {rule.id}: filter {rule.filter}, review at {rule.review_threshold}, "
                   f"reject at {rule.reject_threshold}")


@policy_group.command("rescan")
@click.option("--dry-run", is_flag=True, help="Print what would change without changing anything.")
@click.option("--policy", "policy_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Re-run this policy file instead of the configured one.")
@click.option("--chunk-size", default=rescan.CHUNK_SIZE, show_default=True, type=click.IntRange(1),
              help="Comment ids per chunk, the unit of work a queue worker takes.")
@click.option("--resume", "resume_id", type=int, help="Finish an interrupted run: enqueue its chunks not yet done.")
@click.option("--no-wait", is_flag=True, help="With REDIS_URL: enqueue the chunks and return (the admin shows progress).")
def rescan_command(dry_run: bool, policy_file: Path | None, chunk_size: int, resume_id: int | None,
                   no_wait: bool) -> None:
    """Re-run a policy over stored comments whose status is still the machine's; human decisions are kept.

    The comments are split into chunks by id range. With REDIS_URL each chunk is a job for `flask --app moderation
    worker` on any host, and this command shows the workers' progress; without it the chunks run here, in turn."""
    try:
        run = db.session.get(RescanRun, resume_id) if resume_id else rescan.start_run(policy_file, dry_run, chunk_size)
    except PolicyError as error:
        raise click.ClickException(str(error)) from None
    if run is None:
        raise click.ClickException(f"no rescan run {resume_id}")
    click.echo(f"rescan {run.id}: {run.comment_count:,} comments, policy {run.policy_name} {run.policy_version}"
               + (" (dry run)" if run.dry_run else ""), err=True)
    with click.progressbar(length=run.comment_count, label="rescanning", file=sys.stderr) as bar:
        try:
            enqueued = rescan.enqueue_chunks(run, on_done=lambda chunk: bar.update(chunk.scanned))
        except rescan.PolicyMismatch as error:
            raise click.ClickException(str(error)) from None
        if job_queue() is not None and no_wait:
            click.echo(f"enqueued {enqueued} chunks; follow them in /admin or with --resume {run.id}", err=True)
            return
        if job_queue() is not None:
            _follow(run.id, bar)
    _report(run.id)


def _follow(run_id: int, bar) -> None:
    """Advance the bar as the workers finish chunks; put back the chunks of workers that vanished; enqueue again what
    is left when the queue lost its jobs (Redis keeps nothing on disk: a restart empties it), which the chunks'
    idempotence makes safe; give up, naming the way to resume, when chunks failed past their retries."""
    shown, idle = 0, 0
    queue = job_queue()
    while True:
        db.session.rollback()  # a fresh snapshot each time round
        now = rescan.progress(run_id)
        bar.update(now.scanned - shown)
        shown = now.scanned
        if now.finished:
            return
        requeue_abandoned()
        nothing_queued = not queue.count and not queue.started_job_registry.count
        if nothing_queued and failed_job_count():
            raise click.ClickException(f"{now.chunk_count - now.chunks_done} chunks failed (see `rq info`); "
                                       f"fix the cause, then: flask --app moderation policy rescan --resume {run_id}")
        idle = idle + 1 if nothing_queued else 0
        if idle * FOLLOW_SECONDS >= LOST_JOBS_SECONDS:
            click.echo(f"\nthe queue lost the jobs of {now.chunk_count - now.chunks_done} chunks; enqueued again", err=True)
            rescan.enqueue_chunks(now.run)
            idle = 0
        time.sleep(FOLLOW_SECONDS)


def _report(run_id: int) -> None:
    """The dry run's changes one per line, then the summary, as the command printed them before chunks."""
    db.session.rollback()
    run = db.session.get(RescanRun, run_id)
    if run.dry_run:
        for chunk in run.chunks:
            for comment_id, old, new, reasons in chunk.changes:
                click.echo(f"comment {comment_id}: {old} -> {new}: {reasons}")
    changes = rescan.change_summary(run_id)
    verb = "would change" if run.dry_run else "changed"
    summary = ", ".join(f"{count} {old} -> {new}" for (old, new), count in sorted(changes.items())) or "nothing"
    click.echo(f"{verb}: {summary} (of {run.comment_count} comments, policy {run.policy_name} {run.policy_version})")


def register(app: Flask) -> None:
    """Add the commands to `flask --app moderation`."""
    app.cli.add_command(moderate_command)
    app.cli.add_command(evaluate_command)
    app.cli.add_command(policy_group)
