"""The cost of one workflow's notice in the outbox (``notifications.workflow.put``: a step's two or three rows,
a repeated key left out) on the raw bulk path (``core.bulk.insert_rows(..., ignore_conflicts=True)``).

    .venv/bin/python bench/bench_notify.py [--puts 300] [--reset]

Puts ``--puts`` notices of two rows each, one at a time as the workflows do, in one transaction: once with the few-rows
path (one multi-row ``INSERT … ON CONFLICT DO NOTHING``), once with the scratch-table path that larger puts take on
PostgreSQL (a temporary table created, filled by ``COPY``, copied and dropped). Prints the milliseconds per notice of
each and their ratio (goal: at most 0.5; on SQLite both paths are the same ``executemany``), and checks that both
stored the same rows.
"""

from __future__ import annotations

import argparse
import time

from _setup import start_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--puts", type=int, default=300)
    parser.add_argument("--reset", action="store_true")
    args = parser.parse_args()
    where = start_django(reset=args.reset)

    from django.db import transaction
    from django.utils import timezone

    from fuyuan.core import bulk
    from fuyuan.core.models import Region, RegionLevel, Role, User
    from fuyuan.notifications.models import Channel, Notification
    from fuyuan.notifications.workflow import outbox_rows, put

    region = Region.objects.create(name="基准州", level=RegionLevel.PREFECTURE)
    users = [User.objects.create(username=f"bench_{n}", role=Role.RULE_OF_LAW_OFFICE, region=region) for n in (1, 2)]
    now = timezone.now()

    def notices() -> tuple[float, list[tuple[str, int]]]:
        with transaction.atomic():
            started = time.perf_counter()
            for n in range(args.puts):
                rows = outbox_rows(users, subject="提醒", body="正文", link="/", dedup_key=f"bench:{n}", now=now)
                put(rows + rows[:1])  # one row repeated: left out
            took = time.perf_counter() - started
            stored = list(Notification.objects.filter(channel=Channel.IN_APP).values_list("dedup_key", "recipient_id"))
            transaction.set_rollback(True)
        return took / args.puts * 1000, sorted(stored)

    few_rows = bulk.FEW_ROWS
    few, few_stored = notices()
    bulk.FEW_ROWS = 0  # every put through the scratch table
    scratch, scratch_stored = notices()
    bulk.FEW_ROWS = few_rows
    assert few_stored == scratch_stored and len(few_stored) == 2 * args.puts, "the two paths stored different rows"
    print(f"{where}: {args.puts} notices of two rows (and one repeated) each")
    print(f"  one INSERT:    {few:.2f} ms a notice")
    print(f"  scratch table: {scratch:.2f} ms a notice")
    goal = "goal ≤ 0.5" if "postgresql" in where else "SQLite writes both by the same executemany: about 1"
    print(f"  ratio: {few / scratch:.2f} ({goal})")


if __name__ == "__main__":
    main()
