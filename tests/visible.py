"""What a person reads on a page: the text of its elements, without tags, attributes, scripts or styles (a select's
option values, say, are for the machine; the option's label is what is read)."""

from __future__ import annotations

from html.parser import HTMLParser

from fuyuan.deadlines.rules import RULES


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def rule_ids_in(html: str) -> list[str]:
    """The deadline rule ids (``centre.plan``) a person would read on the page."""
    text = visible_text(html)
    return [rule_id for rule_id in RULES if rule_id in text]
