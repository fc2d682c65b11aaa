"""Log-in cost: the CPU time of one log-in POST with PBKDF2 (Django's 1,000,000 iterations, before issue 19) and with
Argon2 (argon2-cffi, the first hasher now), and the upgrade of a PBKDF2 hash at the first log-in.

    .venv/bin/python bench/bench_login.py [--runs 5]

Each log-in goes through the log-in page with Django's test client (the form, django-axes, the session, the audit
record), so the numbers are the whole request; the CPU time is the process's (``time.process_time``), which a busy
machine does not inflate the way it does the wall time. Prints the median of ``--runs`` log-ins for each hasher and
their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import time

from _setup import start_django

PASSWORD = "Fuyuan-bench-2026"
PBKDF2 = "django.contrib.auth.hashers.PBKDF2PasswordHasher"
ARGON2 = "fuyuan.security.hashers.OwaspArgon2PasswordHasher"
DJANGO_ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


def log_in_times(hashers: list[str], runs: int, username: str) -> tuple[list[float], list[float], str]:
    """CPU and wall seconds of ``runs`` log-ins with ``hashers`` in force, and the stored hash's algorithm after."""
    from django.test import Client, override_settings

    from fuyuan.core.models import User

    cpu: list[float] = []
    wall: list[float] = []
    with override_settings(PASSWORD_HASHERS=hashers):
        user = User.objects.get(username=username)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        for _ in range(runs):
            client = Client()
            started_cpu, started = time.process_time(), time.perf_counter()
            response = client.post("/login/", {"username": username, "password": PASSWORD})
            cpu.append(time.process_time() - started_cpu)
            wall.append(time.perf_counter() - started)
            assert response.status_code == 302 and "/login/" not in response["Location"], response
        algorithm = User.objects.get(username=username).password.split("$", 1)[0]
    return cpu, wall, algorithm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reset", action="store_true")
    args = parser.parse_args()
    database = start_django(reset=args.reset)

    from fuyuan.core.models import Region, RegionLevel, Role, User

    region = Region.objects.create(name="基准州", level=RegionLevel.PREFECTURE)
    User.objects.create(username="bench_login", role=Role.RULE_OF_LAW_OFFICE, region=region, full_name="基准")
    print(f"数据库：{database}；每种哈希登录 {args.runs} 次（经登录页，整个请求）")
    before_cpu, before_wall, _ = log_in_times([PBKDF2, ARGON2], args.runs, "bench_login")
    django_cpu, django_wall, _ = log_in_times([DJANGO_ARGON2, PBKDF2], args.runs, "bench_login")
    after_cpu, after_wall, _ = log_in_times([ARGON2, PBKDF2], args.runs, "bench_login")

    # The upgrade: a PBKDF2 hash logged in with Argon2 first becomes an Argon2 hash.
    from django.contrib.auth.hashers import make_password
    from django.test import Client, override_settings

    User.objects.filter(username="bench_login").update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    with override_settings(PASSWORD_HASHERS=[ARGON2, PBKDF2]):
        Client().post("/login/", {"username": "bench_login", "password": PASSWORD})
    upgraded = User.objects.get(username="bench_login").password.split("$", 1)[0]

    print(f"{'哈希':<28}{'CPU 中位数 ms':>14}{'耗时中位数 ms':>14}")
    for label, cpu, wall in (
        ("PBKDF2（改前，100 万次迭代）", before_cpu, before_wall),
        ("Argon2（Django 默认参数）", django_cpu, django_wall),
        ("Argon2id（改后，OWASP 参数）", after_cpu, after_wall),
    ):
        print(f"{label:<28}{statistics.median(cpu) * 1000:>14.0f}{statistics.median(wall) * 1000:>14.0f}")
    ratio = statistics.median(before_cpu) / statistics.median(after_cpu)
    print(f"登录 POST 的 CPU 时间：改前 / 改后 = {ratio:.1f} 倍")
    print(f"旧的 PBKDF2 哈希在下一次登录后改存为：{upgraded}")
    if upgraded != "argon2":
        raise SystemExit("PBKDF2 哈希没有在登录时升级为 Argon2")


if __name__ == "__main__":
    main()
