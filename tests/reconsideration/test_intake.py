"""Intake checks (SPEC §6.8 item 2): the same person's other application about the same act, and their cases and
disputes against the same respondent."""

from __future__ import annotations

import pytest

from fuyuan.reconsideration.intake import possible_duplicates, related_cases, related_disputes
from tests.factories import World, make_case, make_dispute
from tests.reconsideration.conftest import ID_NUMBER, D, receive

pytestmark = pytest.mark.django_db


def test_an_application_about_the_same_act_by_the_same_person_is_a_possible_duplicate(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    first = receive(world).application
    again = receive(world, applicant_name="张 三").application  # the same ID number, the name written otherwise
    other = receive(world, contested_act="都匀市自然资源局作出的土地登记行为", applicant_id_number="").application

    assert possible_duplicates(again) == [first]
    assert possible_duplicates(other) == []


def test_the_applicants_cases_and_disputes_against_the_respondent_are_found(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    agency = world.orgs["都匀自然资源局"]
    suit = make_case(defendant=agency, plaintiffs="张三")
    dispute = make_dispute(
        world.orgs["州中心"], agency=agency, applicants="张三", applicant_id_number=ID_NUMBER,
        matter="不服都匀市自然资源局作出的都自然资罚〔2026〕8号行政处罚决定",
    )  # fmt: skip
    app = receive(world).application

    assert list(related_cases(app)) == [suit]
    assert related_disputes(app) == [dispute]
