"""The OpenAPI contract's shared parts (drf-spectacular): typed error bodies on every
operation, and ASCII names for every component.

- ``AutoSchema`` (``DEFAULT_SCHEMA_CLASS``) adds the error responses an operation can give —
  400 (field errors), 401, 403, 404, 409, 429 — each with the ``Error`` or
  ``ValidationError`` body and an example, unless the view declared its own.
- ``ascii_enum_names`` (a post-processing hook) renames components whose names hold
  non-ASCII characters (drf-spectacular names a filter's enum after its Chinese label,
  ``V1HazardsList状态Enum``) to the parameter's own name, so generated clients get
  importable class names.
"""

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    "Error",
    fields={
        "detail": serializers.CharField(help_text="The message, in the request's language."),
        "code": serializers.CharField(
            help_text="Machine-readable: not_authenticated, authentication_failed, "
            "permission_denied, not_permitted (a role or duty refuses the action), not_found, "
            "conflict, throttled, locked_out."
        ),
    },
)


class ValidationErrorSerializer(serializers.Serializer):
    """400: ``detail`` and ``code`` for the whole request (``invalid``, ``invalid_transition``
    for a state that does not allow the action, ``invalid_cursor``,
    ``invalid_modified_after``, ``sync_expired``), and per field a list of messages."""

    detail = serializers.CharField(required=False)
    code = serializers.CharField(required=False)


def _example(name, status, body):
    return OpenApiExample(name, value=body, status_codes=[str(status)], response_only=True)


ERROR_RESPONSES = {
    400: OpenApiResponse(
        ValidationErrorSerializer,
        description=_("输入无效（各字段的错误信息）或当前状态不允许此操作。"),
        examples=[
            _example("field", 400, {"code": "invalid", "deadline": ["该字段是必填项。"]}),
            _example(
                "state",
                400,
                {"detail": "当前状态下不能执行此操作。", "code": "invalid_transition"},
            ),
        ],
    ),
    401: OpenApiResponse(
        ErrorSerializer,
        description=_("未登录或令牌无效、已过期。"),
        examples=[
            _example("token", 401, {"detail": "认证令牌无效。", "code": "authentication_failed"})
        ],
    ),
    403: OpenApiResponse(
        ErrorSerializer,
        description=_("角色、学校或职责分离不允许此操作。"),
        examples=[
            _example("refused", 403, {"detail": "您没有权限执行此操作。", "code": "not_permitted"})
        ],
    ),
    404: OpenApiResponse(
        ErrorSerializer,
        description=_("不存在或不在您的范围内（列表：页码超出范围）。"),
        examples=[_example("missing", 404, {"detail": "未找到。", "code": "not_found"})],
    ),
    409: OpenApiResponse(
        ErrorSerializer,
        description=_("记录刚被他人修改，请刷新后再试。"),
        examples=[
            _example(
                "conflict",
                409,
                {"detail": "该隐患刚被他人处理，请刷新后再试。", "code": "conflict"},
            )
        ],
    ),
    429: OpenApiResponse(
        ErrorSerializer,
        description=_("请求过于频繁（响应头 Retry-After 给出秒数）。"),
        examples=[
            _example(
                "throttled", 429, {"detail": "请求过于频繁，请 30 秒后再试。", "code": "throttled"}
            )
        ],
    ),
}


class AutoSchema(BaseAutoSchema):
    """drf-spectacular's schema with the error responses each operation can give."""

    def map_parsers(self):
        """One request body type per operation (generated clients cannot take two):
        multipart/form-data when the body has files (their fields are binary), JSON
        otherwise. Forms and multipart stay accepted at run time for older clients."""
        parsers = super().map_parsers()
        wanted = "multipart/form-data" if self._has_files() else "application/json"
        return [wanted] if wanted in parsers else parsers

    def _has_files(self):
        serializer = self.get_request_serializer()
        if isinstance(serializer, type) and issubclass(serializer, serializers.Serializer):
            serializer = serializer(context={"request": None})
        fields = serializer.fields if isinstance(serializer, serializers.Serializer) else {}
        return any(
            isinstance(f, serializers.FileField)
            or isinstance(getattr(f, "child", None), serializers.FileField)
            for f in fields.values()
        )

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            ours = self._get_response_for_code(
                ERROR_RESPONSES[code], str(code), direction=direction
            )
            if str(code) not in responses:
                responses[str(code)] = ours
            elif "content" not in responses[str(code)]:  # a description alone: add the body
                responses[str(code)]["content"] = ours["content"]
        return responses

    def _error_codes(self):
        # 400 everywhere: a list's filters, a report's parameters and every body can be bad.
        codes = [400, 429]
        if self.get_auth():
            codes += [401, 403]
        # 404: an object out of reach, or a page number past a paged list's end.
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):
            codes.append(404)
        if self.method != "GET":
            codes.append(409)
        return codes


def ascii_enum_names(result, generator, request, public):
    """Drop non-ASCII ``title``s (a filter's Chinese label, which clients turn into class
    names; the description keeps it) and rename non-ASCII component names (and every
    reference to them) to ASCII ones."""
    _drop_titles(result)
    schemas = result.get("components", {}).get("schemas", {})
    renames = {}
    for name in list(schemas):
        if name.isascii():
            continue
        ascii_name = re.sub(r"[^A-Za-z0-9]", "", name) or "Enum"
        if ascii_name in schemas or ascii_name in renames.values():
            ascii_name = f"{ascii_name}{len(renames) + 1}"
        renames[name] = ascii_name
    if not renames:
        return result
    for old, new in renames.items():
        schemas[new] = schemas.pop(old)
    _replace_refs(
        result,
        {f"#/components/schemas/{o}": f"#/components/schemas/{n}" for o, n in renames.items()},
    )
    return result


def _replace_refs(node, refs):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref in refs:
            node["$ref"] = refs[ref]
        for value in node.values():
            _replace_refs(value, refs)
    elif isinstance(node, list):
        for value in node:
            _replace_refs(value, refs)


def _drop_titles(node):
    if isinstance(node, dict):
        title = node.get("title")
        if isinstance(title, str) and not title.isascii() and "type" in node:
            del node["title"]
        for value in node.values():
            _drop_titles(value)
    elif isinstance(node, list):
        for value in node:
            _drop_titles(value)
