"""Native API errors: always {"error": {"code", "message", "field"?}}, with the headers that explain them kept."""
from __future__ import annotations

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException

from moderation.errors import _code_for, explaining_headers

class ApiError(HTTPException):
    """An error a view raises on purpose, with a machine-readable code and, for bad input, the field at fault."""

    def __init__(self, status: int, error_code: str, message: str, field: str | None = None, **details):
        super().__init__(message)
        self.code = status
        self.error_code = error_code
        self.field = field
        self.details = details


def field_error(field: str, message: str) -> ApiError:
    return ApiError(422, "invalid_field", message, field)


def native_error(error: HTTPException) -> Response:
    """Render any HTTP error of the native and Coral routes in the one error shape."""
    body = {
        "code": getattr(error, "error_code", None) or _code_for(error),
        "message": error.description or error.name,
    }
    if getattr(error, "field", None):
        body["field"] = error.field
    body.update(getattr(error, "details", {}))
    response = jsonify({"error": body})
    response.status_code = error.code or 500
    response.headers.update(explaining_headers(error))
    return response
