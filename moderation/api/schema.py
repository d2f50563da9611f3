"""The OpenAPI document is the one description of the native API: served, rendered as docs, and used to validate bodies."""
from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import yaml
from flask import request
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from moderation.api.errors import ApiError, field_error
from moderation.inputs import field_name, json_fault

DOCUMENT_PATH = Path(__file__).with_name("openapi.yaml")
DOCUMENT_URI = "urn:moderation:openapi"
JSON_TYPE_NAMES = {"string": "a string", "integer": "a whole number", "number": "a number", "boolean": "true or false",
                   "object": "an object", "array": "a list", "null": "null"}


@cache
def openapi_document() -> dict:
    return yaml.safe_load(DOCUMENT_PATH.read_text(encoding="utf-8"))


@cache
def _validator(component: str) -> Draft202012Validator:
    resource = Resource.from_contents(openapi_document(), default_specification=DRAFT202012)
    registry = Registry().with_resource(DOCUMENT_URI, resource)
    return Draft202012Validator({"$ref": f"{DOCUMENT_URI}#/components/schemas/{component}"}, registry=registry)


def json_body(component: str) -> dict:
    """The request's JSON body, checked against a schema of the document: 415, 400 or 422 naming the field."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Send the body as JSON, with Content-Type: application/json.")
    try:
        data = json.loads(request.get_data())
    except (ValueError, RecursionError):
        raise ApiError(400, "invalid_json", "The body is not valid JSON.") from None
    problem = body_problem(component, data)
    if problem is not None:
        raise field_error(*problem)
    return data


def body_problem(component: str, data, root: str = "body") -> tuple[str, str] | None:
    """(field, sentence) for the first way `data` breaks the component's schema or holds text that cannot be stored."""
    error = best_match(_validator(component).iter_errors(data))
    if error is not None:
        return describe(error, root)
    found = json_fault(data)
    if found is not None:
        field = field_name(found[0], root)
        return field, f"{field} {found[1]}."
    return None


def check_query_parameters() -> None:
    """Refuse query parameters the document does not give the endpoint: a typo (?limt=5) should not pass unnoticed."""
    if request.url_rule is None:
        return
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", request.url_rule.rule).removeprefix(openapi_document()["servers"][0]["url"])
    operation = openapi_document()["paths"].get(path, {}).get(request.method.lower())
    if operation is None:
        return
    known = {p["name"] for p in operation_parameters(path, operation) if p["in"] == "query"}
    unknown = sorted(set(request.args) - known)
    if unknown:
        raise field_error(unknown[0], f"{unknown[0]} is not a query parameter of this endpoint.")


def operation_parameters(path: str, operation: dict) -> list[dict]:
    """The operation's parameters and its path's, with references followed."""
    listed = openapi_document()["paths"][path].get("parameters", []) + operation.get("parameters", [])
    return [resolve(parameter) for parameter in listed]


def resolve(node: dict) -> dict:
    """Follow a local $ref ("#/components/...") to what it points at."""
    ref = node.get("$ref")
    if not ref:
        return node
    target = openapi_document()
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return target


def describe(error: ValidationError, root: str = "body") -> tuple[str, str]:
    """The dotted path of the field at fault and a sentence about it."""
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = next(name for name in error.validator_value if name not in error.instance)
        field = field_name([*path, missing], root)
        return field, f"{field} is required."
    field = field_name(path, root)
    value = error.validator_value
    messages = {
        "type": lambda: "must be " + " or ".join(JSON_TYPE_NAMES[t] for t in ([value] if isinstance(value, str) else value)),
        "enum": lambda: "must be one of " + ", ".join(map(str, value)),
        "minLength": lambda: f"must have at least {value} character{'s' if value > 1 else ''}",
        "maxLength": lambda: f"must have at most {value} characters",
        "minItems": lambda: f"must have at least {value} item{'s' if value > 1 else ''}",
        "maxItems": lambda: f"must have at most {value} items",
        "minimum": lambda: f"must be at least {value}",
        "maximum": lambda: f"must be at most {value}",
    }
    detail = messages[error.validator]() if error.validator in messages else error.message[:200]
    return field, f"{field} {detail}."
