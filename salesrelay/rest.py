"""What every API view shares: pages of 50, errors as JSON (``{"errors": [{"field", "code",
"reason"}]}``), objects named by their public id, amounts and days bounded as in the forms.

Kept apart from ``salesrelay.api`` (the routes) because REST framework's settings import the
page and error classes while the routes import the views.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.views.defaults import page_not_found
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from salesrelay.errors import ActionError, ErrorCode
from salesrelay.input_rules import validate_amount, validate_day


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(error, context):
    """Every refusal as ``{"errors": [{"field", "code", "reason"}]}``."""
    if isinstance(error, ActionError):
        code = status.HTTP_403_FORBIDDEN if error.code == ErrorCode.FORBIDDEN else (
            status.HTTP_400_BAD_REQUEST)
        return Response({"errors": [{"field": error.field, "code": str(error.code),
                                     "reason": error.message}]}, status=code)
    response = drf_exception_handler(error, context)
    if response is None:
        return None
    if isinstance(error, ValidationError):
        response.data = {"errors": list(_flatten(error.detail))}
    else:  # 401, 403, 404 (Django's Http404 too), 405, 415, …
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        error_code = getattr(detail, "code", None) or ("not_found" if response.status_code == 404
                                                       else "error")
        response.data = {"errors": [{"field": None, "code": str(error_code),
                                     "reason": str(detail)}]}
    return response


def _flatten(detail, field: str | None = None):
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = None if key == "non_field_errors" else (f"{field}.{key}" if field else key)
            yield from _flatten(value, name)
    elif isinstance(detail, list):
        for item in detail:
            yield from _flatten(item, field)
    else:
        yield {"field": field, "code": getattr(detail, "code", "invalid"), "reason": str(detail)}




# The fields every serializer shares: an object by its public id; amounts and days bounded as in
# the forms (salesrelay.input_rules).
def ref(**kwargs) -> serializers.SlugRelatedField:
    """A related object as its public id (a new field each time: fields are not shared)."""
    return serializers.SlugRelatedField(slug_field="ref", read_only=True, **kwargs)


def money_field(**kwargs) -> serializers.DecimalField:
    # The bounds are validate_amount's, which gives one reason; the schema states them too.
    return serializers.DecimalField(max_digits=None, decimal_places=None,
                                    validators=[validate_amount], **kwargs)


def day_field(**kwargs) -> serializers.DateField:
    return serializers.DateField(validators=[validate_day], **kwargs)


def valid(serializer_class, request) -> dict:
    """The request's body checked by ``serializer_class`` (a 400 with every problem if not)."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


ERROR_STATUSES = {
    "400": "Refused: the input is wrong, with every reason",
    "401": "Not signed in: send the session cookie or a token",
    "403": "Signed in, but the access rules do not allow it",
    "404": "No such object among those the caller may see",
    "405": "The route does not take this method",
}


def document_errors(result, generator, request, public):
    """A drf-spectacular hook: every operation answers its errors in the one JSON shape."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorItem"] = {"type": "object", "required": ["field", "code", "reason"],
                            "properties": {"field": {"type": "string", "nullable": True},
                                           "code": {"type": "string"},
                                           "reason": {"type": "string"}}}
    schemas["Errors"] = {"type": "object", "required": ["errors"], "properties": {
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ErrorItem"}}}}
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_STATUSES.items():
                responses.setdefault(code, {"description": description, "content": body})
    return result


def not_found(request, exception):
    """Django's 404 page, or under ``/api/`` the API's JSON error."""
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": [{"field": None, "code": "not_found",
                                         "reason": "No such route or object."}]}, status=404)
    return page_not_found(request, exception)
