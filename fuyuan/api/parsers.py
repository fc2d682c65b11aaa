"""The API's JSON parser: DRF's, except that JSON nested too deeply to parse is a 400 like any other malformed
body, not a server error. (A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is refused by Django before it is parsed:
``errors.api_exception_handler`` answers it with 413.)"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.parsers import JSONParser


class BoundedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("请求体的 JSON 嵌套层数过多") from None
