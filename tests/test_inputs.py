"""Text from outside: what is refused, how the refusal names the field, and the one request hook in each interface's
error shape. The property test in tests/property/test_input_boundaries.py attacks every field of every endpoint."""
from __future__ import annotations

import json

import pytest

from moderation.inputs import field_name, json_fault, text_fault
from tests.security.conftest import api_key, table_counts


@pytest.mark.parametrize("value, fault", [
    ("fine words", None),
    ("emoji \U0001f600 and \ufffd are text", None),
    ("a\x00b", "holds a NUL character (character 2), which cannot be stored"),
    ("ab\ud800", "holds a lone surrogate U+D800 (character 3), which is not Unicode text"),
    ("\udce9", "holds a lone surrogate U+DCE9 (character 1), which is not Unicode text"),
])
def test_text_fault_names_the_first_unstorable_character(value, fault):
    assert text_fault(value) == fault


def test_json_fault_finds_values_and_member_names_in_document_order():
    assert json_fault({"a": ["ok", {"b": "x\x00"}], "c": "\ud800"}) == (["a", 1, "b"], text_fault("x\x00"))
    path, fault = json_fault({"ok": 1, "bad\ud800": 2})
    assert field_name(path) == "bad\\ud800" and fault.startswith("has a name that holds a lone surrogate")
    assert json_fault({"items": [{"text": "fine"}], "n": 5, "none": None}) is None


def test_json_fault_walks_nesting_as_deep_as_the_parser_accepts():
    deep = json.loads("[" * 900 + '"\\u0000"' + "]" * 900)
    assert json_fault(deep) == ([0] * 900, text_fault("\x00"))


def test_the_reported_crashes_are_refusals_naming_the_field(client, app):
    headers = {"Authorization": f"Bearer {api_key('moderate,comment')}"}
    before = table_counts()
    analyze = client.post("/v1alpha1/comments:analyze", headers=headers, content_type="application/json",
                          data=json.dumps({"comment": {"text": "\ud800"}, "requestedAttributes": {"TOXICITY": {}}}))
    assert analyze.status_code == 400
    assert analyze.get_json()["error"]["message"].startswith("Invalid value at 'comment.text': it holds a lone surrogate")
    for body, field in [({"text": "\ud800", "author": {"external_id": "a", "display_name": "Ana Reader"}}, "text"),
                        ({"text": "Fine.", "author": {"external_id": "\ud800", "display_name": "Ana Reader"}}, "author.external_id")]:
        posted = client.post("/api/v1/articles/us-cuba-migration-talks/comments", headers=headers,
                             content_type="application/json", data=json.dumps(body))
        assert (posted.status_code, posted.get_json()["error"]["field"]) == (422, field)
    assert table_counts() == before


@pytest.mark.parametrize("url, headers, status, field", [
    ("/?older=1%00", {}, 400, "older"),
    ("/articles/us-cuba%00", {}, 400, "slug"),
    ("/", {"X-Forwarded-For": "1.2.3.4\x00"}, 400, "X-Forwarded-For"),
    ("/api/v1/articles?cursor=%00", {}, 422, "cursor"),
    ("/api/v1/articles", {"Accept": "application/json\x00"}, 422, "Accept"),
    ("/$discovery/rest?version=v1alpha1%00", {}, 400, "version"),
])
def test_the_request_hook_refuses_a_nul_in_each_interfaces_shape(client, url, headers, status, field):
    response = client.get(url, headers=headers)
    assert response.status_code == status
    if response.is_json and "field" in response.get_json()["error"]:
        assert response.get_json()["error"]["field"] == field
    assert f"{field} holds a NUL character" in response.get_data(as_text=True)


def test_a_form_body_read_by_the_hook_is_still_there_for_a_view_that_reads_it_raw(client, app):
    headers = {"Authorization": f"Bearer {api_key('moderate')}"}
    body = json.dumps({"comment": {"text": "Fine words."}, "requestedAttributes": {"TOXICITY": {}}})
    response = client.post("/v1alpha1/comments:analyze", data=body, headers=headers,
                           content_type="application/x-www-form-urlencoded")  # Perspective takes JSON whatever it says
    assert response.status_code == 200, response.get_data(as_text=True)
