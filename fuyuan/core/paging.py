"""One way to page a list: Django's ``Paginator`` over a query, with the request's other parameters kept.

Every list page of the product pages through ``paginate`` and shows ``core/pager.html`` under its table, so a
list that can grow never loads all its rows, the count ("共 N 条") is one ``COUNT``, and a filter chosen above
the table survives a page change. The order of the rows is the caller's: each list sorts by what its reader
needs first (tasks by due date, the overdue first; records by the newest).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar, overload

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50
M = TypeVar("M", bound=Model)
T = TypeVar("T")


@overload
def paginate(request: HttpRequest, items: QuerySet[M], *, per_page: int | None = ..., param: str = ...) -> Page[M]: ...
@overload
def paginate(request: HttpRequest, items: Sequence[T], *, per_page: int | None = ..., param: str = ...) -> Page[T]: ...
def paginate(request: HttpRequest, items: Any, *, per_page: int | None = None, param: str = "page") -> Page[Any]:
    """The page of ``items`` the request asks for in ``param`` (the first for a missing or bad number, the last for
    one past the end), carrying what the pager needs: ``page.param`` and ``page.query``, the request's other
    parameters urlencoded (so two lists on one page page independently, each keeping the other's place).
    ``per_page`` defaults to ``PAGE_SIZE``, read when called."""
    page: Page[Any] = Paginator(items, per_page or PAGE_SIZE).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    page.param = param  # type: ignore[attr-defined]
    page.query = query.urlencode()  # type: ignore[attr-defined]
    return page
