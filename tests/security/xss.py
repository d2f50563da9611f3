"""A corpus of script-injection payloads, and a check that a page rendered none of them as markup.

Each payload would set window.__xss (or call alert) if a browser ran it, so the browser tests listen for both."""
from __future__ import annotations

from html.parser import HTMLParser

PAYLOADS = (
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=1">',
    "'><svg onload=window.__xss=1>",
    '<a href="javascript:window.__xss=1">read more</a>',
    "javascript:alert(document.cookie)",
    "</textarea><script>window.__xss=1</script>",
    "</title><script>alert(1)</script>",
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "<style>*{display:none}</style>",
    "\u202e<b onmouseover=window.__xss=1>hover</b>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "{{ config }}{{ 7*7 }}{% print 1 %}",
    "<base href=//evil.example/><form action=//evil.example>",
    "\"onfocus=window.__xss=1 autofocus x=\"",
)
# Display names are at most 80 characters; these still carry markup.
NAME_PAYLOADS = ("<img src=x onerror=alert(1)>", '"><script>alert(1)</script>', "{{7*7}}<b>Bold</b>")

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"})
FORBIDDEN_TAGS = frozenset({"iframe", "object", "embed", "base", "style", "math", "frame", "img"})


class _MarkupAudit(HTMLParser):
    """Collect everything on a page that could run or restyle: scripts, handlers, script URLs, odd tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith(("javascript:", "data:text")):
                self.problems.append(f"<{tag} {name}={value!r}> script URL")
            if name == "style":
                self.problems.append(f"<{tag} style=...> inline style")
        if tag == "script":
            source = dict(attrs).get("src") or ""
            if not source.startswith("/static/"):
                self.problems.append(f"<script src={source!r}> not one of ours")
            self._in_script = True
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script {data.strip()[:40]!r}")


def injected_markup(html: str) -> list[str]:
    """What on this page could run a script or was not written by our templates; [] when clean."""
    audit = _MarkupAudit()
    audit.feed(html)
    audit.close()
    return audit.problems
