"""The one paging helper every list uses: Django's Paginator, the other parameters kept for the pager's links."""

from __future__ import annotations

from django.test import RequestFactory

from fuyuan.core.paging import paginate

ROWS = list(range(1, 8))


def test_a_missing_or_bad_page_number_shows_the_first_page_and_one_past_the_end_the_last() -> None:
    get = RequestFactory().get
    assert list(paginate(get("/"), ROWS, per_page=3)) == [1, 2, 3]
    assert list(paginate(get("/", {"page": "x"}), ROWS, per_page=3)) == [1, 2, 3]
    assert list(paginate(get("/", {"page": "9"}), ROWS, per_page=3)) == [7]


def test_the_page_keeps_the_other_parameters_for_the_pager_without_its_own() -> None:
    request = RequestFactory().get("/", {"state": "open", "county": "7", "page": "2", "past": "3"})

    page = paginate(request, ROWS, per_page=3)
    past = paginate(request, ROWS, per_page=3, param="past")

    assert list(page) == [4, 5, 6] and page.query == "state=open&county=7&past=3"  # type: ignore[attr-defined]
    assert list(past) == [7] and past.query == "state=open&county=7&page=2"  # type: ignore[attr-defined]
    assert page.paginator.count == 7
