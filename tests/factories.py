"""Plain-function factories and the shared personas, one per role (SPEC §2).

The personas live in a small world of two prefectures:

- 黔南州 (prefecture) with counties 都匀市 and 福泉市, and 安阳市 elsewhere (another prefecture);
- each county has an agency (自然资源局 / 公安局), a court and a 司法局 (reconsideration body);
- users: ``rol_pref`` (州 依法治办), ``rol_duyun`` (都匀 依法治办), ``leader_pref``, ``court_duyun``,
  ``recon_pref`` (州司法局), ``agency_duyun`` (都匀市自然资源局), ``agency_fuquan`` (福泉市公安局),
  ``centre`` (州协调化解中心), ``centre_duyun`` (都匀市协调化解中心), ``coordinator`` (in the 州 pool, a 林业
  expert of 州司法局), ``discipline``, ``sysadmin``, ``secadmin``, ``auditadmin``.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field
from typing import Any

from fuyuan.cases.choices import Acceptance, CaseKind, Instance
from fuyuan.cases.models import Case
from fuyuan.cases.workflow import place_case
from fuyuan.core.models import (
    HeadPost,
    Organisation,
    OrganisationHead,
    OrganisationKind,
    Region,
    RegionLevel,
    Role,
    User,
)
from fuyuan.stats import counts as figure_counts

PASSWORD = "Fuyuan-test-2026"
_numbers = itertools.count(1)


def local_today() -> datetime.date:
    """Today in the project's time zone, read when called: a constant taken when a test module is imported goes
    stale when a run crosses local midnight (16:00 UTC), and the pages then count from another day."""
    from django.utils import timezone

    return timezone.localdate()


def make_region(name: str, level: int = RegionLevel.COUNTY, parent: Region | None = None) -> Region:
    return Region.objects.create(name=name, level=level, parent=parent)


def make_org(name: str, region: Region, kind: str = OrganisationKind.AGENCY) -> Organisation:
    return Organisation.objects.create(name=name, region=region, kind=kind)


def make_head(org: Organisation, name: str, post: str = HeadPost.PRINCIPAL, **kw: Any) -> OrganisationHead:
    kw.setdefault("valid_from", datetime.date(2020, 1, 1))
    return OrganisationHead.objects.create(organisation=org, name=name, post=post, **kw)


def make_user(username: str, role: str, *, region: Region | None = None, org: Organisation | None = None) -> User:
    user = User(username=username, role=role, region=region, organisation=org, full_name=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_case(kind: str = CaseKind.LITIGATION, *, defendant: Organisation, **kw: Any) -> Case:
    """A case saved directly (tests of reads); workflows are tested through ``cases.workflow``."""
    n = next(_numbers)
    if kind == CaseKind.LITIGATION:
        kw.setdefault("number", f"（2021）黔27行初{n}号")
        kw.setdefault("instance", Instance.FIRST)
        kw.setdefault("filed_on", datetime.date(2021, 3, 1))
        if "court" not in kw:
            kw["court"] = Organisation.objects.filter(kind=OrganisationKind.COURT).first()
    else:
        kw.setdefault("number", f"黔南复〔2021〕{n}号")
        kw.setdefault("received_on", datetime.date(2021, 3, 1))
        kw.setdefault("acceptance", Acceptance.ACCEPTED)
        if "reconsideration_body" not in kw:
            kw["reconsideration_body"] = Organisation.objects.filter(kind=OrganisationKind.JUSTICE_BUREAU).first()
    case = Case(kind=kind, **kw)
    place_case(case, defendant)
    case.save()
    figure_counts.refresh([case.pk])  # as every write of a case does (stats.counts)
    return case


@dataclass
class World:
    regions: dict[str, Region] = field(default_factory=dict)
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


def build_world() -> World:
    w = World()
    province = make_region("贵州省", RegionLevel.PROVINCE)
    pref = make_region("黔南州", RegionLevel.PREFECTURE, province)
    duyun = make_region("都匀市", RegionLevel.COUNTY, pref)
    fuquan = make_region("福泉市", RegionLevel.COUNTY, pref)
    anyang = make_region("安阳市", RegionLevel.PREFECTURE)
    w.regions = {"省": province, "黔南州": pref, "都匀市": duyun, "福泉市": fuquan, "安阳市": anyang}
    o = w.orgs
    o["州中院"] = make_org("黔南州中级人民法院", pref, OrganisationKind.COURT)
    o["都匀法院"] = make_org("都匀市人民法院", duyun, OrganisationKind.COURT)
    o["福泉法院"] = make_org("福泉市人民法院", fuquan, OrganisationKind.COURT)
    o["州司法局"] = make_org("黔南州司法局", pref, OrganisationKind.JUSTICE_BUREAU)
    o["都匀司法局"] = make_org("都匀市司法局", duyun, OrganisationKind.JUSTICE_BUREAU)
    o["都匀自然资源局"] = make_org("都匀市自然资源局", duyun)
    o["福泉公安局"] = make_org("福泉市公安局", fuquan)
    o["州人社局"] = make_org("黔南州人力资源和社会保障局", pref)
    o["安阳法院"] = make_org("安阳市中级人民法院", anyang, OrganisationKind.COURT)
    o["安阳市场监管局"] = make_org("安阳市市场监督管理局", anyang)
    o["安阳司法局"] = make_org("安阳市司法局", anyang, OrganisationKind.JUSTICE_BUREAU)
    o["州中心"] = make_org("黔南州行政争议协调化解中心", pref, OrganisationKind.COORDINATION_CENTRE)
    o["都匀中心"] = make_org("都匀市行政争议协调化解中心", duyun, OrganisationKind.COORDINATION_CENTRE)
    make_head(o["都匀自然资源局"], "王局长")
    u = w.users
    u["rol_pref"] = make_user("rol_pref", Role.RULE_OF_LAW_OFFICE, region=pref)
    u["rol_duyun"] = make_user("rol_duyun", Role.RULE_OF_LAW_OFFICE, region=duyun)
    u["leader_pref"] = make_user("leader_pref", Role.LEADER, region=pref)
    u["court_duyun"] = make_user("court_duyun", Role.COURT_LIAISON, org=o["都匀法院"])
    u["recon_pref"] = make_user("recon_pref", Role.RECONSIDERATION_BODY, org=o["州司法局"])
    u["agency_duyun"] = make_user("agency_duyun", Role.AGENCY_LIAISON, org=o["都匀自然资源局"])
    u["agency_fuquan"] = make_user("agency_fuquan", Role.AGENCY_LIAISON, org=o["福泉公安局"])
    u["centre"] = make_user("centre", Role.CENTRE_STAFF, org=o["州中心"])
    u["centre_duyun"] = make_user("centre_duyun", Role.CENTRE_STAFF, org=o["都匀中心"])
    u["coordinator"] = make_user("coordinator", Role.COORDINATOR, region=pref)
    u["discipline"] = make_user("discipline", Role.DISCIPLINE_LIAISON, region=pref)
    u["sysadmin"] = make_user("sysadmin", Role.SYSTEM_ADMIN)
    u["secadmin"] = make_user("secadmin", Role.SECURITY_ADMIN)
    u["auditadmin"] = make_user("auditadmin", Role.AUDIT_ADMIN)
    return w


def make_coordinator(
    name: str, *, org: Organisation, domains: list[str] | None = None, user: User | None = None, **kw: Any
) -> Any:
    """A member of the coordinator pool, in its organisation's region unless ``region`` is given."""
    from fuyuan.disputes.models import Coordinator

    kw.setdefault("region", org.region)
    return Coordinator.objects.create(name=name, organisation=org, domains=domains or [], user=user, **kw)


def make_dispute(centre: Organisation, *, agency: Organisation, by: User | None = None, **values: Any) -> Any:
    """A dispute registered through the workflow (as the centre's staff would, or as an online application)."""
    from fuyuan.core.timeline import Actor
    from fuyuan.disputes.workflow import register_dispute

    values.setdefault("source", "window")
    values.setdefault("received_on", local_today())
    values.setdefault("applicants", "张三")
    values.setdefault("matter", "不服罚款决定")
    return register_dispute(centre, {**values, "agency": agency}, by=by or Actor(label="测试"))


def totp_code(device: Any, drift: int = 0) -> str:
    """The code a person's authenticator app shows now for ``device`` (a django-otp ``TOTPDevice``); ``drift=1`` is
    the next 30-second step's code (a code once used is refused, so a second log-in in the same step needs it)."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def log_in_through_page(client: Any, username: str, password: str = PASSWORD) -> Any:
    """Log in as a person does: the log-in form (django-axes counts it; the second factor is asked for after)."""
    return client.post("/login/", {"username": username, "password": password})


# The personas' world, copied instead of built. ``build_world`` saves 33 records through the models (85 statements:
# each user's password history and audit record with it) and 2,600 tests take it: 30 ms a test on SQLite and 60 ms on
# PostgreSQL, minutes of a run. ``world_for_test`` builds it through the models once per process and day, keeps the
# rows it wrote, and gives every later test the same rows again in one INSERT a table (the same ids, the same password
# hashes, the same audit chain) and fresh model instances read back from them. The tables must be empty for that (no
# other fixture wrote to them first); otherwise the world is built as before.
@dataclass
class _WorldRows:
    tables: list[tuple[str, str, list[str], list[tuple[Any, ...]]]]  # table, primary key, columns, rows
    names: dict[str, dict[str, int]]  # World's attribute → persona name → primary key
    newest: datetime.datetime  # the newest moment the world's rows were written at


_world_rows: dict[tuple[str, datetime.date, bool], _WorldRows] = {}


def _tables_with_integer_keys() -> list[tuple[str, str]]:
    from django.apps import apps
    from django.db import models

    found = []
    for model in apps.get_models(include_auto_created=True):
        pk = model._meta.pk
        if isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
            found.append((model._meta.db_table, pk.column))
    return sorted(set(found))


def _highest_keys(tables: list[tuple[str, str]]) -> dict[str, int]:
    from django.db import connection

    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT {i}, MAX({quote(pk)}) FROM {quote(t)}" for i, (t, pk) in enumerate(tables))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {tables[i][0]: highest or 0 for i, highest in cursor.fetchall()}


def world_for_test(moving_clock: Any) -> World:
    """The personas' world for one test (the ``world`` fixture): copied when this process has built it on this day
    before (see above), built through the models otherwise. ``moving_clock`` is the test's time-machine traveller if
    it runs on a moved clock. A copy is never dated after "now": rows written up to a second later than now (the first
    build's own time on the same test day) move the moved clock on to them, as building them would have; later ones
    (a test that set its clock back within the day) are built instead."""
    from django.db import connection, transaction
    from django.utils import timezone

    key = (connection.vendor, timezone.localdate(), moving_clock is not None)
    rows = _world_rows.get(key)
    if rows is not None:
        ahead = rows.newest - timezone.now()
        in_the_past = ahead < datetime.timedelta(0)
        if (in_the_past or (moving_clock is not None and ahead <= datetime.timedelta(seconds=1))) and not _any_rows(
            rows
        ):
            with transaction.atomic():
                _insert(rows)
            if not in_the_past:
                moving_clock.move_to(rows.newest + datetime.timedelta(milliseconds=1), tick=True)
            return _read_back(rows.names)
        return build_world()
    tables = _tables_with_integer_keys()
    before = _highest_keys(tables)
    world = build_world()
    after = _highest_keys(tables)
    written = [(t, pk) for t, pk in tables if after[t] > before[t]]
    if not any(before[t] for t, _ in written):
        _world_rows[key] = _keep(world, written, newest=timezone.now())
    return world


def _keep(world: World, written: list[tuple[str, str]], *, newest: datetime.datetime) -> _WorldRows:
    from django.db import connection

    from fuyuan.audit.models import AuditHead

    quote = connection.ops.quote_name
    tables = []
    with connection.cursor() as cursor:
        for table, pk in written:
            if table == AuditHead._meta.db_table:
                continue  # moved by the audit records' own trigger as they are inserted (``_insert``)
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")
            tables.append((table, pk, [c[0] for c in cursor.description], list(cursor.fetchall())))
    return _WorldRows(tables=tables, names=_names(world), newest=newest)


def _names(world: World) -> dict[str, dict[str, int]]:
    """World's attribute → persona name → primary key."""
    return {attr: {name: obj.pk for name, obj in getattr(world, attr).items()} for attr in ("regions", "orgs", "users")}


def tables_with_rows(connection: Any, tables: list[str]) -> list[str]:
    """Those of ``tables`` that hold a row, in one query (the world's copy, and the tests' flush in conftest.py)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(f"SELECT {i} WHERE EXISTS (SELECT 1 FROM {quote(t)})" for i, t in enumerate(tables))
        )
        return [tables[i] for (i,) in cursor.fetchall()]


def _any_rows(rows: _WorldRows) -> bool:
    from django.db import connection

    from fuyuan.audit.models import AuditHead

    return bool(tables_with_rows(connection, [t for t, _, _, _ in rows.tables] + [AuditHead._meta.db_table]))


def _insert(rows: _WorldRows) -> None:
    from django.db import connection

    from fuyuan.audit.log import GENESIS
    from fuyuan.audit.models import AuditHead

    quote = connection.ops.quote_name
    AuditHead.objects.create(pk=1, last_hash=GENESIS)  # as the audit log starts it in an empty database
    with connection.cursor() as cursor:
        for table, _, columns, values in rows.tables:
            marks = ", ".join(["%s"] * len(columns))
            names = ", ".join(quote(c) for c in columns)
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", values)
        if connection.vendor == "postgresql":
            # The next id of each table past the copied ones (a database copied again from the template starts at 1).
            cursor.execute(
                "SELECT "
                + ", ".join(
                    "setval(pg_get_serial_sequence(%s, %s), GREATEST(%s, "
                    "COALESCE(pg_sequence_last_value(pg_get_serial_sequence(%s, %s)::regclass), 0)))"
                    for _ in rows.tables
                ),
                [
                    p
                    for table, pk, columns, values in rows.tables
                    for p in (table, pk, max(v[columns.index(pk)] for v in values), table, pk)
                ],
            )


def _read_back(names: dict[str, dict[str, int]]) -> World:
    """A World of instances read from the database, from ``_names``' primary keys."""
    w = World()
    for attr, model in (("regions", Region), ("orgs", Organisation), ("users", User)):
        by_pk = model.objects.in_bulk(list(names[attr].values()))
        setattr(w, attr, {name: by_pk[pk] for name, pk in names[attr].items()})
    return w


def fresh(world: World) -> World:
    """The same personas as ``world``'s, read again from the database: for a test, instances of its own."""
    return _read_back(_names(world))
