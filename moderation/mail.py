"""E-mail to readers (password reset, decision notices), through ONE function: `send_mail`. Mail sent after a commit
is a job (moderation/jobs.py): with REDIS_URL a queue worker sends it, so a slow SMTP server never holds a moderator's
request; without it, it is sent in the request as before.

Sent over SMTP by Flask-Mailman with the `MAIL_*` settings (MAIL_SERVER, MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD,
MAIL_USE_TLS, MAIL_USE_SSL, MAIL_DEFAULT_SENDER). Without MAIL_SERVER, as on the embedded default, the message is
written to the log instead, so a reset link still works on a laptop."""
from __future__ import annotations

import logging
import smtplib

import redis
from flask import Flask, current_app
from flask_mailman import EmailMessage, Mail
from sqlalchemy import event
from sqlalchemy.orm import Session

from moderation.jobs import enqueue

log = logging.getLogger(__name__)
mail = Mail()
_AFTER_COMMIT = "mail_after_commit"  # key in Session.info: messages waiting for the transaction to commit


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send one plain-text message to `to`; True when handed to the SMTP server or, without MAIL_SERVER, written to
    the log. An SMTP failure is logged and gives False: the caller's work (a decision, a reset request) stands."""
    if not current_app.config.get("MAIL_SERVER"):
        log.info("mail (no MAIL_SERVER set, so written here instead of sent)\nTo: %s\nSubject: %s\n\n%s",
                 to, subject, body)
        return True
    config = current_app.config
    # The settings are read per message, not once at start, so an app reconfigured since (tests do) sends to its
    # current server; Flask-Mailman does the SMTP work.
    connection = mail.get_connection(
        host=config["MAIL_SERVER"], port=config["MAIL_PORT"], username=config["MAIL_USERNAME"],
        password=config["MAIL_PASSWORD"], use_tls=config["MAIL_USE_TLS"], use_ssl=config["MAIL_USE_SSL"],
        timeout=config["MAIL_TIMEOUT"],
    )
    try:
        EmailMessage(subject, body, from_email=config["MAIL_DEFAULT_SENDER"], to=[to], connection=connection).send()
    except (smtplib.SMTPException, OSError) as error:
        log.error("mail to %s not sent: %s: %s", to, type(error).__name__, error)
        return False
    return True


def send_mail_after_commit(session: Session, to: str, subject: str, body: str) -> None:
    """Send once `session` commits, as a job; nothing is sent for work that is rolled back (a stale decision, say).
    A send that a dying queue worker interrupts is run again, so a reader may rarely get a message twice."""
    session.info.setdefault(_AFTER_COMMIT, []).append((to, subject, body))


def _send_committed(session: Session) -> None:
    for message in session.info.pop(_AFTER_COMMIT, []):
        try:
            enqueue(send_mail, *message)
        except redis.RedisError as error:  # the decision is committed: the reader still gets the mail, just later
            log.warning("job queue unreachable, mail sent in the request: %s", error)
            send_mail(*message)


def _forget_rolled_back(session: Session, _transaction) -> None:
    session.info.pop(_AFTER_COMMIT, None)


def init_app(app: Flask) -> None:
    mail.init_app(app)
    if not event.contains(Session, "after_commit", _send_committed):
        event.listen(Session, "after_commit", _send_committed)
        event.listen(Session, "after_soft_rollback", _forget_rolled_back)
