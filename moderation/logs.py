"""No secret in a log: API keys sent as `?key=` (Perspective's clients do) and Authorization values are redacted in
what the servers running the app log (the development server's and gunicorn's access and error logs)."""
from __future__ import annotations

import logging
import re

from flask import Flask

REDACTED = "[redacted]"
SECRET_PARAMETER = re.compile(r"(?i)(?<![\w-])((?:api[_-]?)?key|access_token)=[^&\s\"']+")
AUTHORIZATION_VALUE = re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)[^\"'\r\n,}]+")
CREDENTIALS = re.compile(r"(?i)\b(bearer|basic)\s+[\w.~+/=-]+")
# gunicorn hands its access-log line the request headers as atoms named `{header}i`, lower-cased.
SECRET_HEADER_ATOMS = ("{authorization}i", "{proxy-authorization}i", "{x-api-key}i")
SERVER_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def redact(text: str) -> str:
    """The text with every key parameter's value and every Authorization value replaced."""
    text = SECRET_PARAMETER.sub(rf"\1={REDACTED}", text)
    text = AUTHORIZATION_VALUE.sub(rf"\1{REDACTED}", text)
    return CREDENTIALS.sub(rf"\1 {REDACTED}", text)


class RedactSecrets(logging.Filter):
    """Rewrite a record's message with its secrets redacted; every record is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):
            for atom in SECRET_HEADER_ATOMS:
                if atom in record.args:
                    record.args[atom] = REDACTED
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed record: the handler reports it, as it would without this filter
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


REDACT_SECRETS = RedactSecrets()


def init_app(app: Flask) -> None:
    """Install the filter on the servers' loggers (once per process: the same filter object is not added twice)."""
    for name in SERVER_LOGGERS:
        logging.getLogger(name).addFilter(REDACT_SECRETS)
