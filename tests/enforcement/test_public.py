"""亮证执法: anyone checks a certificate number without log-in and sees the name, the body, the kind and whether it is
valid — nothing more; an unknown number says so; every look-up counts against the address's limit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.enforcement.conftest import D, add_officer
from tests.factories import World

pytestmark = pytest.mark.django_db


def look_up(client: Client, number: str, address: str = "203.0.113.7"):  # type: ignore[no-untyped-def]
    return client.get(reverse("enforcement_public:lookup"), {"number": number}, REMOTE_ADDR=address)


def test_a_citizen_checks_a_valid_a_lapsed_and_an_unknown_number(people: World, settings) -> None:  # type: ignore[no-untyped-def]
    add_officer(people, "都匀自然资源局", "王强", "52270100001", valid_to=D(2029, 5, 5), reviewed_on=D(2025, 3, 1))
    add_officer(people, "福泉公安局", "孙丽", "52270200001", valid_to=D(2026, 11, 30))
    add_officer(people, "福泉公安局", "周洁", "52270200002", valid_to=D(2029, 1, 1), left_on=D(2026, 10, 1))
    client = Client()
    assert client.get(reverse("enforcement_public:lookup")).status_code == 200  # the form, no log-in
    valid = look_up(client, " 52270100001 ").content.decode()
    assert "证件有效" in valid and "王强" in valid and "都匀市自然资源局" in valid and "行政执法证" in valid
    # nothing more: no dates, no other officer, no log-in menu
    assert "2029" not in valid and "2025" not in valid and "2022" not in valid and "孙丽" not in valid
    lapsed = look_up(client, "52270200001").content.decode()
    assert "证件无效" in lapsed and "孙丽" in lapsed and "2026-11-30" not in lapsed
    assert "证件无效" in look_up(client, "52270200002").content.decode()  # the officer has left the body
    unknown = look_up(client, "52270100009").content.decode()
    assert "未查到证号为“52270100009”的执法证件" in unknown and "王强" not in unknown
    # no partial match: a prefix finds nothing
    assert "未查到" in look_up(client, "5227010000").content.decode()


def test_look_ups_from_one_address_are_limited(people: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FUYUAN_APPLY_LIMIT = 3
    add_officer(people, "都匀自然资源局", "王强", "52270100001", valid_to=D(2029, 5, 5))
    client = Client()
    for number in ("52270100001", "52270100002", "52270100003"):
        assert look_up(client, number).status_code == 200
    refused = look_up(client, "52270100001")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    page = refused.content.decode()
    assert "查询过于频繁" in page and "王强" not in page
    assert look_up(client, "52270100001", address="198.51.100.9").status_code == 200  # another address
