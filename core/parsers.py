"""The API's JSON parser: DRF's, with a bound on nesting. No resource of this API nests
more than a few levels; a body nested deeper than ``MAX_JSON_DEPTH`` is a 400 before any
serializer walks it (a deep enough one would otherwise exhaust Python's recursion: a 500)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

MAX_JSON_DEPTH = 20


def json_depth(data) -> int:
    """How deeply lists and objects nest in ``data`` (a scalar: 0). Iterative."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    """``JSONParser`` that answers 400 to JSON nested deeper than ``MAX_JSON_DEPTH``."""

    def parse(self, stream, media_type=None, parser_context=None):
        message = _("JSON 嵌套层数过多（最多 %(n)d 层）。") % {"n": MAX_JSON_DEPTH}
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(message) from None
        if json_depth(data) > MAX_JSON_DEPTH:
            raise ParseError(message)
        return data


class FileParsers(list):
    """A viewset's ``parser_classes`` when it takes files: the schema (``core.schema``)
    then documents multipart/form-data (files as binary parts) besides JSON."""


# Every viewset accepts JSON, forms and multipart (DEFAULT_PARSER_CLASSES); the schema
# documents JSON alone, so generated clients get one request type per operation, and
# multipart too where a viewset declares these.
FILE_PARSERS = FileParsers([BoundedJSONParser, FormParser, MultiPartParser])
