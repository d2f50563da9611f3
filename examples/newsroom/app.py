"""An example newsroom site that embeds this service's comment section under its own story (docs/embed.md).

Its story page carries the embed snippet; a reader "signed in to the newsroom" (here: `?reader=ID`, one of READERS)
gets a fresh SSO token signed with the secret shared with the comment service, as a newsroom's backend would.

    .venv/bin/python -m examples.newsroom.app --comments http://127.0.0.1:5000 --port 8001 --sso-secret SECRET

The browser tests (tests/browser/test_embed.py) serve it on one loopback origin and the comments on another."""
from __future__ import annotations

import argparse
import time
import uuid
from urllib.parse import quote

from flask import Flask, abort, render_template, request
from joserfc import jwt
from joserfc.jwk import OctKey

STORY_PATH = "/2026/11/30/county-commission-approves-flood-barrier"
STORY_TITLE = "County commission approves the Biscayne flood barrier"
READERS = {  # the newsroom's own accounts
    "42": {"email": "lee.newsreader@example.org", "name": "Lee Newsreader"},
    "43": {"email": "sam.subscriber@example.org", "name": "Sam Subscriber"},
}
TOKEN_LIFETIME = 300  # seconds: the SSO token only has to reach the comment frame


def sso_token(secret: str, issuer: str, audience: str, reader_id: str) -> str:
    """What the newsroom's backend signs for a signed-in reader: HS256, five minutes, a fresh jti each time."""
    now = int(time.time())
    reader = READERS[reader_id]
    claims = {"iss": issuer, "aud": audience, "iat": now, "exp": now + TOKEN_LIFETIME, "jti": uuid.uuid4().hex,
              "sub": reader_id, "email": reader["email"], "name": reader["name"]}
    return jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(secret))


def create_newsroom(comments_url: str, sso_secret: str | None = None, issuer: str = "https://newsroom.example",
                    audience: str = "moderation") -> Flask:
    """The newsroom site; `comments_url` is the comment service's root (http://127.0.0.1:5000)."""
    app = Flask(__name__)

    @app.route(STORY_PATH)
    def story():
        reader_id = request.args.get("reader")
        if reader_id is not None and reader_id not in READERS:
            abort(404)
        token = sso_token(sso_secret, issuer, audience, reader_id) if sso_secret and reader_id else None
        canonical = request.host_url.rstrip("/") + STORY_PATH
        return render_template("story.html", comments_url=comments_url.rstrip("/"), canonical=canonical,
                               fallback=f"{comments_url.rstrip('/')}/stories/by-url?url={quote(canonical, safe='')}",
                               title=STORY_TITLE, token=token, reader=READERS.get(reader_id or ""))

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", default="http://127.0.0.1:5000", help="the comment service's root URL")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--sso-secret", help="the SSO_SECRET the comment service is configured with")
    parser.add_argument("--issuer", default="https://newsroom.example", help="the comment service's SSO_ISSUER")
    args = parser.parse_args()
    print(f"newsroom story: http://localhost:{args.port}{STORY_PATH}  (add ?reader=42 to be signed in)")
    create_newsroom(args.comments, args.sso_secret, args.issuer).run(host="localhost", port=args.port)


if __name__ == "__main__":
    main()
