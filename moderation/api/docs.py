"""The OpenAPI document as JSON, and a plain page that reads it for people."""
from __future__ import annotations

import json
import re

from flask import Blueprint, jsonify, render_template
from markupsafe import Markup, escape

from moderation.api.schema import openapi_document, operation_parameters, resolve

bp = Blueprint("api_docs", __name__)
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@bp.get("/api/v1/openapi.json")
def openapi_json():
    """The machine-readable description of the native API."""
    return jsonify(openapi_document())


@bp.get("/api/docs")
def docs():
    """The same document as a page: each operation, its parameters, body, answers and the schemas."""
    document = openapi_document()
    return render_template(
        "api/docs.html",
        document=document,
        base=document["servers"][0]["url"],
        operations=list(operations(document)),
        schemas={name: json.dumps(schema, indent=2) for name, schema in document["components"]["schemas"].items()},
    )


def operations(document: dict):
    """(method, path, operation, parameters) for every operation, in the document's order."""
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield method.upper(), path, item[method], operation_parameters(path, item[method])


def schema_name(content: dict) -> str | None:
    """The component a request or response body refers to."""
    ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
    return ref.rsplit("/", 1)[-1] or None


def inline_code(text: str) -> Markup:
    """The document's `backticked` words as <code>, everything else escaped."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))


bp.add_app_template_filter(inline_code, "inline_code")
bp.add_app_template_global(schema_name, "openapi_schema_name")
bp.add_app_template_global(resolve, "openapi_resolve")
