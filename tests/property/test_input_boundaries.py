"""Every string that enters over HTTP, attacked: lone surrogates, NUL characters, over-long and non-string values in
every string field of every endpoint of the OpenAPI document, of the Perspective and Coral routes, and of every form
the site's pages render (found by reading every page of the url map, as a browser would). Never a 5xx; a refusal
changes nothing stored; text that cannot be stored is refused, naming the field."""
from __future__ import annotations

import hashlib
import hmac
import json
import operator
import re
import uuid
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from moderation.api.schema import openapi_document, operation_parameters, resolve
from moderation.db import db
from moderation.embed.settings import set_allowed_origins
from moderation.inputs import field_name, text_fault
from moderation.models import Article, ModerationMode, Role
from moderation.public.views import HIDE_COOKIE
from moderation.services.accounts import reset_token
from moderation.services.commenting import post_comment
from tests.conftest import PASSWORD, create_user
from tests.security.conftest import api_key
from tests.security.routes import site_routes

SEED_SLUG = "us-cuba-migration-talks"
FINE = "The talks in Havana are overdue and both governments should keep them going."
CORAL_SECRET = "empsec_input_boundaries"
BOUNDED = settings(max_examples=6, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

UNUSABLE = ("\ud800", "\udfff", "\udce9", "\x00")
unusable_text = st.builds(operator.add, st.text(max_size=4), st.sampled_from(UNUSABLE)).map(lambda s: s + "talks")
any_text = st.text(st.characters(codec=None, categories=None), max_size=20)  # every category, surrogates included
over_long = st.builds(operator.mul, st.sampled_from(["x", "é", "🤬", "\u0301"]),
                      st.sampled_from([81, 201, 2_001, 5_001, 20_481, 70_000]))
non_string = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                       st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.integers(), max_size=1))
hostile = st.one_of(unusable_text, any_text, over_long, non_string)
# Each value is also sent once, whatever hypothesis draws.
NAMED = ("\ud800", "fine \udfff words", "\x00", "fine\x00words", "x" * 70_000, "\u0301" * 5_001, 12, None, ["x"])


def with_named_examples(test):
    for value in NAMED:
        test = example(value=value, ascii_escapes=False)(test)
    return test


def stored() -> dict[str, list]:
    """Every row of every table, but a key's time of last use (noted on any keyed request): equal, nothing changed."""
    rows = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if (table.name, c.name) != ("api_keys", "last_used_at")]
        rows[table.name] = [tuple(row) for row in db.session.execute(select(*columns).order_by(*table.primary_key))]
    return rows


def unusable(value) -> bool:
    return isinstance(value, str) and text_fault(value) is not None


def on_the_wire(value) -> str:
    """A value as a query string, path or header carries it: text, with a surrogate as the bytes a client would send."""
    return value if isinstance(value, str) else json.dumps(value)


def url_part(value) -> str:
    return quote(on_the_wire(value).encode("utf-8", "surrogatepass"), safe="")


def header_value(value) -> str:
    """Headers are bytes: the UTF-8 of the value as Latin-1, line breaks dropped (they would end the header)."""
    raw = on_the_wire(value).encode("utf-8", "surrogatepass").decode("latin-1")
    return raw.replace("\r", "").replace("\n", "")


def json_bytes(body, ascii_escapes: bool) -> bytes:
    """JSON as a client writes it: surrogates as \\ud800 escapes, or as raw (ill-formed) UTF-8 bytes."""
    return json.dumps(body, ensure_ascii=ascii_escapes).encode("utf-8", "surrogatepass")


def replaced(body: dict, path: tuple, value) -> dict:
    copy = json.loads(json.dumps(body))
    target = copy
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return copy


def string_fields(schema: dict, path: tuple = ()):
    """Paths to every string in a body schema of the document (the first item stands for every item of a list)."""
    schema = resolve(schema)
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else types
    if "string" in types:
        yield path
    for name, child in schema.get("properties", {}).items():
        yield from string_fields(child, (*path, name))
    if "items" in schema:
        yield from string_fields(schema["items"], (*path, 0))


def template_fields(value, path: tuple = ()):
    """Paths to every string of a request written out by hand."""
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for name, child in value.items():
            yield from template_fields(child, (*path, name))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from template_fields(child, (*path, index))


@dataclass(frozen=True)
class Field:
    operation: str
    method: str
    path: str
    where: str  # body, query, path or header
    name: tuple

    @property
    def label(self) -> str:
        return field_name(list(self.name)) if self.where == "body" else self.name[0]

    def __str__(self) -> str:
        return f"{self.operation}:{self.where}:{self.label}"


def native_fields() -> list[Field]:
    document, fields = openapi_document(), []
    for path, item in document["paths"].items():
        for method in ("get", "post", "put", "patch", "delete"):
            operation = item.get(method)
            if operation is None:
                continue
            url = document["servers"][0]["url"] + path
            for parameter in operation_parameters(path, operation):
                fields.append(Field(operation["operationId"], method, url, parameter["in"], (parameter["name"],)))
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            fields += [Field(operation["operationId"], method, url, "body", p) for p in string_fields(body or {})]
    return fields


@pytest.fixture
def api(app):
    """An admin key, a pre-moderated article whose comments wait for a decision, and Coral's signing secret."""
    app.config["CORAL_SIGNING_SECRETS"] = CORAL_SECRET
    premoderated = Article(slug="premoderated", title="Held", body="A story.", moderation_mode=ModerationMode.PRE)
    db.session.add(premoderated)
    db.session.commit()
    yield {"Authorization": f"Bearer {api_key('moderate,comment,admin')}"}, premoderated
    app.config["CORAL_SIGNING_SECRETS"] = []


def held_comment_id(article: Article) -> int:
    author = create_user(f"Held {uuid.uuid4().hex[:8]}")
    comment = post_comment(author, article, FINE)
    db.session.commit()
    return comment.id


# A request each operation answers with success; the attack replaces one of its fields.
NATIVE_REQUESTS = {
    "moderate": lambda held: {"body": {"text": FINE, "article": SEED_SLUG, "context": "The talks."}},
    "moderateBatch": lambda held: {"body": {"items": [{"text": FINE, "article": SEED_SLUG, "context": "The talks."}]}},
    "listArticles": lambda held: {"query": {"limit": "5"}},
    "listComments": lambda held: {"path": {"slug": SEED_SLUG}, "query": {"limit": "5"}},
    "postComment": lambda held: {
        "path": {"slug": SEED_SLUG}, "header": {"Idempotency-Key": uuid.uuid4().hex},
        # A name of its own each time: when the attack varies the external id, each id is a new account, and
        # display names are unique among accounts.
        "body": {"text": FINE, "author": {"external_id": "reader-1", "display_name": f"Ana {uuid.uuid4().hex[:8]}"},
                 "parent_id": None}},
    "listQueue": lambda held: {"query": {"status": "pending", "limit": "5"}},
    "decide": lambda held: {"path": {"id": held()},
                            "body": {"action": "reject", "reason": "spam", "note": "Off topic.", "expected_version": None}},
}


def send(client, method: str, path: str, parts: dict, ascii_escapes: bool, headers: dict):
    url = path
    for name, value in parts.get("path", {}).items():
        url = url.replace(f"{{{name}}}", url_part(value))
    query = "&".join(f"{name}={url_part(value)}" for name, value in parts.get("query", {}).items())
    all_headers = {**headers, **{name: header_value(value) for name, value in parts.get("header", {}).items()}}
    body = json_bytes(parts["body"], ascii_escapes) if "body" in parts else None
    return client.open(f"{url}?{query}" if query else url, method=method.upper(), data=body,
                       content_type="application/json", headers=all_headers)


def attacked(parts: dict, field: Field, value) -> dict:
    parts = dict(parts)
    if field.where == "body":
        parts["body"] = replaced(parts["body"], field.name, value)
    else:
        parts[field.where] = {**parts.get(field.where, {}), field.name[0]: value}
    return parts


def must_refuse(field: Field, value) -> bool:
    """Text that cannot be stored in a JSON body, or a NUL anywhere (a surrogate cannot cross a URL or a header: it
    arrives as the bytes a client sends, which Werkzeug keeps as percent escapes or replaces with U+FFFD)."""
    return unusable(value) and (field.where == "body" or "\x00" in value)


@pytest.mark.parametrize("operation", sorted({f.operation for f in native_fields()}))
def test_the_request_each_attack_starts_from_succeeds(client, api, operation):
    headers, premoderated = api
    field = next(f for f in native_fields() if f.operation == operation)
    response = send(client, field.method, field.path, NATIVE_REQUESTS[operation](lambda: held_comment_id(premoderated)),
                    True, headers)
    assert response.status_code in (200, 201), response.get_data(as_text=True)


@pytest.mark.parametrize("field", native_fields(), ids=str)
@BOUNDED
@with_named_examples
@given(value=hostile, ascii_escapes=st.booleans())
def test_native_api_fields_refuse_what_cannot_be_stored_and_never_fail(client, api, field, value, ascii_escapes):
    headers, premoderated = api
    parts = attacked(NATIVE_REQUESTS[field.operation](lambda: held_comment_id(premoderated)), field, value)
    before = stored()
    response = send(client, field.method, field.path, parts, ascii_escapes, headers)
    status = response.status_code
    assert status < 500, response.get_data(as_text=True)[:300]
    if status >= 400:
        assert stored() == before
    if status == 422:
        assert response.get_json()["error"]["field"] == field.label
    if must_refuse(field, value):
        assert status == 422 or (field.where == "path" and status == 404)


PERSPECTIVE_REQUESTS = {
    "/v1alpha1/comments:analyze": {
        "comment": {"text": FINE, "type": "PLAIN_TEXT"},
        "requestedAttributes": {"TOXICITY": {"scoreType": "PROBABILITY", "scoreThreshold": 0}, "INSULT": {}},
        "languages": ["en"], "context": {"entries": [{"text": "The talks.", "type": "PLAIN_TEXT"}]},
        "spanAnnotations": True, "doNotStore": True, "clientToken": "t-1", "sessionId": "s-1", "communityId": "c-1"},
    "/v1alpha1/comments:suggestscore": {
        "comment": {"text": FINE}, "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
        "languages": ["en"], "clientToken": "t-1", "communityId": "c-1"},
}
PERSPECTIVE_FIELDS = [Field(url, "post", url, "body", path) for url, body in PERSPECTIVE_REQUESTS.items()
                      for path in template_fields(body)] + [Field(url, "post", url, "query", ("key",))
                                                            for url in PERSPECTIVE_REQUESTS]


@pytest.mark.parametrize("field", PERSPECTIVE_FIELDS, ids=str)
@BOUNDED
@with_named_examples
@given(value=hostile, ascii_escapes=st.booleans())
def test_perspective_fields_refuse_what_cannot_be_stored_and_never_fail(client, api, field, value, ascii_escapes):
    headers, _ = api
    parts = attacked({"body": PERSPECTIVE_REQUESTS[field.path]}, field, value)
    before = stored()
    response = send(client, "post", field.path, parts, ascii_escapes, headers)
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    if response.status_code >= 400:
        assert stored() == before
    if must_refuse(field, value):
        error = response.get_json()["error"]
        assert (response.status_code, error["status"]) == (400, "INVALID_ARGUMENT")
        assert f"'{field.label}'" in error["message"] or f"{field.label} holds" in error["message"]


CORAL_REQUEST = {"action": "NEW", "comment": {"body": "<p>Talks resume in <b>Havana</b></p>", "parentID": None},
                 "author": {"id": "baf4e943", "role": "COMMENTER"}, "tenantDomain": "comments.example.org"}
CORAL_URL = "/integrations/coral/moderate"


@pytest.mark.parametrize("path", list(template_fields(CORAL_REQUEST)), ids=lambda path: field_name(list(path)))
@BOUNDED
@with_named_examples
@given(value=hostile, ascii_escapes=st.booleans())
def test_coral_fields_refuse_what_cannot_be_stored_and_never_fail(client, api, path, value, ascii_escapes):
    body = json_bytes(replaced(CORAL_REQUEST, path, value), ascii_escapes)
    signature = "sha256=" + hmac.new(CORAL_SECRET.encode(), body, hashlib.sha256).hexdigest()
    before = stored()
    response = client.post(CORAL_URL, data=body, content_type="application/json",
                           headers={"X-Coral-Signature": signature})
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    assert stored() == before  # Coral's phase never stores anything
    if unusable(value):
        assert response.status_code == 400
        assert response.get_json()["error"]["field"] == field_name(list(path))


class FormReader(HTMLParser):
    """The forms of a page and the values a browser would send from each (inputs tied to a form by form="id" too)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, str, dict]] = []
        self._by_id: dict[str, dict] = {}
        self._owned: list[tuple[str, str, str]] = []
        self._fields: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        name = attributes.get("name")
        if tag == "form":
            self._fields = {}
            self.forms.append((attributes.get("method", "get").lower(), attributes.get("action", ""), self._fields))
            self._by_id[attributes.get("id", "")] = self._fields
        elif tag in ("input", "button") and name and "form" in attributes:
            self._owned.append((attributes["form"], name, attributes.get("value", "")))
        elif self._fields is None or not name and tag != "option":
            return
        elif tag in ("input", "button"):
            self._fields.setdefault(name, attributes.get("value", ""))
        elif tag == "select":
            self._select = name
            self._fields[name] = None
        elif tag == "option" and self._select and (self._fields[self._select] is None or "selected" in attributes):
            self._fields[self._select] = attributes.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self._fields[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self._fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def close(self):
        super().close()
        for form_id, name, value in self._owned:
            self._by_id.get(form_id, {}).setdefault(name, value)


FRAME_ORIGIN = "https://news.example"
# What a person types into the fields a page leaves empty.
TYPED = {"body": FINE, "email": "new.reader@example.org", "password": "a long password",
         "confirm": "a long password", "display_name": "New Reader", "report_hide_threshold": "3", "days": "3"}


@dataclass(frozen=True)
class Form:
    method: str
    action: str
    fields: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.action}"


def sign_in(client, user) -> None:
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})


def site_forms(app, client, admin) -> list[Form]:
    """Every form on every page of the site's url map, as the admin sees them, with ids from the data at hand."""
    reader = create_user("Plain Reader")
    article = db.session.scalar(select(Article).where(Article.slug == SEED_SLUG))
    published = post_comment(reader, article, FINE)
    held = post_comment(admin, article, "You people are idiots.")
    db.session.commit()
    ids = {"slug": [SEED_SLUG], "comment_id": [published.id, held.id], "user_id": [reader.id, admin.id],
           "article_id": [article.id], "name": ["pending", "reported", "rejected"], "token": [reset_token(reader)]}
    pages = []
    for route in site_routes(app, "GET"):
        urls = [route.rule]
        for argument, values in ids.items():
            urls = [url.replace(f"<{c}{argument}>", str(v)) for url in urls for v in values for c in ("", "int:")]
        pages += [url for url in dict.fromkeys(urls) if "<" not in url]
    pages += frame_pages(client, admin, published.id, held.id)
    found = {}
    for hidden in ("", "1"):  # with comments hidden, the page offers to show them again
        client.set_cookie(HIDE_COOKIE, hidden)
        for url in pages:
            reader_of_page = FormReader()
            reader_of_page.feed(client.get(url).get_data(as_text=True))
            reader_of_page.close()
            for method, action, fields in reader_of_page.forms:
                filled = tuple((name, value or TYPED.get(name, "")) for name, value in fields.items())
                form = Form(method, action or url, filled)
                found[(method, urlsplit(form.action).path, tuple(name for name, _ in filled))] = form
    client.delete_cookie(HIDE_COOKIE)
    return list(found.values())


def frame_pages(client, admin, published_id: int, held_id: int) -> list[str]:
    """The comment frame's pages on a newsroom's page (moderation/embed): signed out, signed in, with comments
    hidden. Their addresses carry the frame's session (`_es`), which the site's cookie has no part in."""
    set_allowed_origins([FRAME_ORIGIN])
    db.session.commit()
    start = client.get("/embed/stream", query_string={"url": f"{FRAME_ORIGIN}/story", "origin": FRAME_ORIGIN,
                                                      "title": "A story"})
    signed_out = {urlsplit(link).path: link for link in frame_links(start)}
    signed_in = client.post(signed_out["/embed/sign-in"], data={"email": admin.email, "password": PASSWORD})
    story = signed_in.headers["Location"]
    token = story.split("_es=", 1)[1].split("#")[0]
    hidden = client.post({urlsplit(link).path: link for link in frame_links(client.get(story))}["/embed/comments/hide"])
    return [start.request.url, signed_out["/embed/sign-in"], story, hidden.headers["Location"],
            f"/embed/comments/{held_id}/notice?_es={token}", f"/embed/comments/{published_id}/report?_es={token}"]


def frame_links(response) -> list[str]:
    return [unescape(link) for link in re.findall(r'(?:href|action)="(/embed/[^"]+)"', response.get_data(as_text=True))]


@pytest.fixture
def forms(app, client):
    """The site's forms, found by reading its pages signed in as an admin who has a moderators' warning to read."""
    admin = create_user("Ada Admin", role=Role.ADMIN, warning="Please keep to the topic.")
    sign_in(client, admin)
    return admin, site_forms(app, client, admin)


def submit(client, form: Form, name: str, value: str):
    """The form sent with `value` in the field `name`, encoded by hand so that a surrogate goes as its bytes."""
    data = "&".join(f"{quote(field)}={url_part(value if field == name else original)}" for field, original in form.fields)
    if form.method == "post":
        return client.post(form.action, data=data, content_type="application/x-www-form-urlencoded")
    return client.get(f"{urlsplit(form.action).path}?{data}")


def test_every_post_route_of_the_site_has_a_form_on_some_page(app, client, forms):
    _, found = forms
    adapter = app.url_map.bind("localhost")
    endpoints = {adapter.match(urlsplit(form.action).path, method="POST")[0] for form in found if form.method == "post"}
    assert {route.endpoint for route in site_routes(app, "POST")} - endpoints == set()


def test_a_nul_in_any_field_of_any_form_is_refused_naming_it_and_stores_nothing(app, client, forms):
    admin, found = forms
    wrong = []
    for form in found:
        for name, _ in form.fields:
            before = stored()
            response = submit(client, form, name, "fine\x00words")
            refused = response.status_code == 400 and f"{name} holds a NUL character" in response.get_data(as_text=True)
            if not refused or stored() != before:
                wrong.append((str(form), name, response.status_code))
    assert wrong == []


@BOUNDED
@given(data=st.data())
def test_any_value_in_any_field_of_any_form_never_fails(app, client, forms, data):
    admin, found = forms
    # A form with no field of its own (the Hide Comments button) has nothing to send a value in.
    form = data.draw(st.sampled_from([form for form in found if form.fields]), label="form")
    name = data.draw(st.sampled_from([field for field, _ in form.fields]), label="field")
    value = data.draw(st.one_of(unusable_text, any_text, over_long), label="value")
    before = stored()
    response = submit(client, form, name, value)
    assert response.status_code < 500, (str(form), name)
    if response.status_code >= 400:
        assert stored() == before
    if "\x00" in value:
        assert response.status_code == 400
    if urlsplit(form.action).path.startswith("/auth/"):
        sign_in(client, admin)  # signing in, up or out as someone else ends the admin's session
