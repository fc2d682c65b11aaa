"""Load: staff of several roles browsing, filtering and editing cases on gunicorn and PostgreSQL (issue 7).

    .venv/bin/python bench/bench_load.py [--users 200] [--minutes 5] [--cases 20000]
        [--servers 2 --cache-url redis://127.0.0.1:6379/7] [--code DIR] [--reuse-db] [--label NAME] [--results FILE]
    make load

Several application servers (issue 19): ``--servers N`` starts N gunicorn processes (each ``-w 4/N`` of ``--workers 4``, the same
processes in all), every user staying on one of them in turn; with ``--cache-url`` they share Redis (the dashboard's
cache, the API rate limit). ``--code DIR`` serves another checkout of Fuyuan (an earlier commit, for "before") on the
same database; ``--reuse-db`` keeps the database of the previous run instead of recreating it and the demo (with
``FUYUAN_LOAD_SECRET_KEY``, the secret key the database was made with). Each
run appends its summary (requests per second, p50/p95 over the pages, errors, lost and duplicated writes) to
``--results`` (JSON lines) and prints the table of every run in that file, so runs before and after a change and
with one or two servers end in one table.

Loopback only and bounded. It drops and recreates the PostgreSQL database ``FUYUAN_LOAD_DB`` (default ``fuyuan_load``)
on ``FUYUAN_LOAD_SERVER`` (default ``postgres://postgres@127.0.0.1:5432/``), migrates it, fills it with the demo
(``fuyuan demo --cases N``: 云岭州, its logins, password ``Fuyuan@2026``), starts gunicorn
(``-w 4 --threads 4 --keep-alive 30``, ``FUYUAN_DEBUG=0``; ``--workers`` and ``--threads`` change the first two) on a free loopback port and runs locust headless
(``bench/load/locustfile.py``; users ``FUYUAN_LOAD_USERS``, minutes ``FUYUAN_LOAD_MINUTES``, ramp 20 users/s).

The static baseline is the login page of an anonymous visitor (``GET /login/``: one small template, no query), measured
in the same run by the same users: with ``DEBUG`` off Django serves no ``/static/`` files and no static file server is
installed. It is also measured once on the idle server before the load, for reference.

Every edit appends a unique marker to its case's 备注. Afterwards it counts: lost writes (acknowledged, not in the
database), duplicated writes (a marker twice), refused writes found in the database (a 409 — optimistic locking
refusing a stale form, the product working — or a form sent back with field errors, reported with its reasons), and
errors (failures other than those: non-2xx/3xx answers, connection errors, a session lost to the login page, and
tracebacks in gunicorn's log). It prints p50/p95 per request type (exact, from every request's time), p95(all) /
p95(baseline), goal ≤ 10, over the whole run and over its steady state (after the last user logged in: every user
logs in at the start and the password hash is slow on purpose), and exits non-zero if errors, lost or duplicated
writes > 0.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
LOCUSTFILE = ROOT / "bench" / "load" / "locustfile.py"
BASELINE = "基准 GET /login/（未登录）"
LOGIN = "登录 POST /login/"
REHASH = """
import django
django.setup()
from django.contrib.auth.hashers import make_password
from fuyuan.core.models import User
User.objects.exclude(password="").update(password=make_password("Fuyuan@2026"))
"""
MARKER = re.compile(r"\[load-([0-9a-f]+)-\d+-\d+\]")


def recreate_database(server: str, name: str) -> str:
    import psycopg

    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        sys.exit(f"FUYUAN_LOAD_DB“{name}”不是合法的数据库名（小写字母、数字、下划线）")
    with psycopg.connect(server.rstrip("/") + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return server.rstrip("/") + "/" + name


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(command: list[str], env: dict[str, str], what: str, cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=cwd)
    if done.returncode != 0:
        sys.exit(f"{what}失败：\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return time.perf_counter() - started


def wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn 启动失败（见其日志）")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"gunicorn 在 {seconds:.0f} 秒内没有应答 {url}")


def idle_baseline(url: str, requests: int = 100) -> tuple[float, float]:
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
        times.append((time.perf_counter() - started) * 1000)
    return pct(times, 50), pct(times, 95)


def read_lines(folder: Path, kind: str) -> list[str]:
    return [line.split()[0] for p in folder.glob(f"{kind}-*.txt") for line in p.read_text("utf-8").splitlines() if line]


def count_writes(database_url: str, run_id: str) -> Counter[str]:
    """Every marker of this run found in the cases' 备注, with how many times it occurs."""
    import psycopg

    found: Counter[str] = Counter()
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT note FROM cases_case WHERE note LIKE %s", (f"%[load-{run_id}-%",)).fetchall()
    for (note,) in rows:
        for match in MARKER.finditer(note):
            if match.group(1) == run_id:
                found[match.group(0)] += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=int(os.environ.get("FUYUAN_LOAD_USERS", "200")))
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("FUYUAN_LOAD_MINUTES", "5")))
    parser.add_argument("--cases", type=int, default=20000, help="demo cases (default 20000)")
    parser.add_argument("--servers", type=int, default=1, help="gunicorn processes side by side (default 1)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes in all (default 4)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--cache-url", default="", help="FUYUAN_CACHE_URL for the servers (a Redis URL)")
    parser.add_argument("--code", type=Path, default=ROOT, help="the Fuyuan checkout to serve (default this one)")
    parser.add_argument("--reuse-db", action="store_true", help="keep the previous run's database and demo")
    parser.add_argument("--label", default="", help="the run's name in the results table")
    parser.add_argument("--results", type=Path, default=None, help="JSON lines file to append the summary to")
    args = parser.parse_args()

    server = os.environ.get("FUYUAN_LOAD_SERVER", "postgres://postgres@127.0.0.1:5432/")
    name = os.environ.get("FUYUAN_LOAD_DB", "fuyuan_load")
    if not re.match(r"postgres(ql)?://[^/@]*@?(127\.0\.0\.1|localhost)[:/]", server):
        sys.exit("负载测试只在本机回环地址上运行：FUYUAN_LOAD_SERVER 须指向 127.0.0.1 或 localhost")
    work = Path(tempfile.mkdtemp(prefix="fuyuan-load-"))
    markers = work / "markers"
    markers.mkdir()
    run_id = secrets.token_hex(4)
    database_url = server.rstrip("/") + "/" + name if args.reuse_db else recreate_database(server, name)
    ports = [free_port() for _ in range(args.servers)]
    hosts = [f"http://127.0.0.1:{port}" for port in ports]
    host = hosts[0]
    code = args.code.resolve()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "fuyuan.settings",
        "FUYUAN_DEBUG": "0",
        "FUYUAN_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # A run that reuses a database must use the key its personal data was encrypted with.
        "FUYUAN_SECRET_KEY": os.environ.get("FUYUAN_LOAD_SECRET_KEY") or secrets.token_urlsafe(50),
        "FUYUAN_DATA_DIR": str(work / "data"),
        "FUYUAN_HTTPS": "0",  # plain http on loopback: no Secure cookie, no redirect to https
        # The checkout served: first on the path, so that its `fuyuan` package is the one imported.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(code), os.environ.get("PYTHONPATH", "")])),
    }
    if args.cache_url:
        env["FUYUAN_CACHE_URL"] = args.cache_url
        env["FUYUAN_CACHE_PREFIX"] = f"fuyuan-load-{run_id}"
    if args.reuse_db:
        print(f"数据库：{database_url}（沿用上一次运行的）；工作目录：{work}")
    else:
        print(f"数据库：{database_url}（已删除并重建）；工作目录：{work}")
        took = run([str(BIN / "fuyuan"), "migrate", "--noinput"], env, "迁移")
        print(f"迁移：{took:.0f} 秒")
        took = run([str(BIN / "fuyuan"), "demo", "--cases", str(args.cases)], env, "生成演示数据")
        print(f"演示数据（{args.cases} 件案件）：{took:.0f} 秒")
    print(f"代码：{code}；应用服务器进程：{args.servers}；共享缓存：{args.cache_url or '无（各进程内存）'}")
    # Fresh statistics, as autovacuum keeps them on a deployment (this machine's PostgreSQL runs without it: unanalysed,
    # the freshly loaded case table is planned as if it held a few rows, and the case list sorts all of them).
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("ANALYZE")
    # The demo's passwords hashed as the served code hashes a new password (PBKDF2 before issue 19, Argon2 after), so
    # that each run's log-ins cost what they cost in that code, whichever code made the database.
    took = run([str(BIN / "python"), "-c", REHASH], env, "重设演示密码", cwd=code)
    print(f"演示账号密码按所测代码的首选哈希重设：{took:.0f} 秒")

    log = (work / "gunicorn.log").open("w")
    workers = str(max(1, args.workers // args.servers))
    command = [str(BIN / "gunicorn"), "fuyuan.wsgi", "-w", workers, "--threads", str(args.threads), "--timeout", "120",
               "--keep-alive", "30", "--error-logfile", "-"]  # fmt: skip
    servers = [
        subprocess.Popen([*command, "-b", f"127.0.0.1:{port}"], env=env, cwd=code, stdout=log, stderr=subprocess.STDOUT)
        for port in ports
    ]
    try:
        for url, gunicorn in zip(hosts, servers, strict=True):
            wait_until_up(f"{url}/login/", gunicorn)
        idle_p50, idle_p95 = idle_baseline(f"{host}/login/")
        print(
            f"gunicorn：{', '.join(hosts)}（每个 {workers} 进程 × {args.threads} 线程）；"
            f"空载基准 GET /login/：p50 {idle_p50:.0f} ms，p95 {idle_p95:.0f} ms"
        )
        print(f"locust：{args.users} 个用户，每秒增加 20 个，持续 {args.minutes:g} 分钟 …", flush=True)
        started = time.perf_counter()
        POSTGRES.sample()  # the processes already there count from now
        POSTGRES.start()
        cpu_before = cpu_seconds(servers)
        with (work / "locust.log").open("w") as locust_log:
            subprocess.run(
                [str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "-u", str(args.users), "-r", "20",
                 "-t", f"{int(args.minutes * 60)}s", "--host", host, "--csv", str(work / "load"),
                 "--only-summary", "--stop-timeout", "30"],
                env={**env, "FUYUAN_LOAD_MARKERS": str(markers), "FUYUAN_LOAD_RUN": run_id,
                     "FUYUAN_LOAD_HOSTS": ",".join(hosts)},
                stdout=locust_log, stderr=subprocess.STDOUT, cwd=ROOT,
            )  # fmt: skip
        print(f"locust 结束：{time.perf_counter() - started:.0f} 秒")
        cpu = {k: v - cpu_before[k] for k, v in cpu_seconds(servers).items()}
    finally:
        for gunicorn in servers:
            gunicorn.send_signal(signal.SIGTERM)
        for gunicorn in servers:
            try:
                gunicorn.wait(timeout=60)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        log.close()

    timings = read_timings(markers)
    by_name: dict[str, list[float]] = {}
    failed: Counter[str] = Counter()
    for name, ms, failure, _ in timings:
        by_name.setdefault(name, []).append(ms)
        failed[name] += failure
    print()
    print(f"{'请求类型':<34}{'次数':>8}{'失败':>6}{'p50 ms':>9}{'p95 ms':>9}")
    for name in sorted(by_name):
        times = by_name[name]
        print(f"{name:<34}{len(times):>8}{failed[name]:>6}{pct(times, 50):>9.0f}{pct(times, 95):>9.0f}")
    every = [ms for _, ms, _, _ in timings]
    pages = [ms for name, ms, _, _ in timings if name not in {LOGIN, BASELINE}]
    base = by_name.get(BASELINE, [float("nan")])
    # Steady state: after the last user's log-in (the password hash is deliberately slow, and all users log in at
    # the start); the same requests, without the log-in storm.
    all_in = max((at for name, _, _, at in timings if name == LOGIN), default=0.0)
    steady_pages = [ms for name, ms, _, at in timings if name not in {LOGIN, BASELINE} and at > all_in]
    steady_base = [ms for name, ms, _, at in timings if name == BASELINE and at > all_in]
    print(f"{'全部请求':<34}{len(every):>8}{sum(failed.values()):>6}{pct(every, 50):>9.0f}{pct(every, 95):>9.0f}")
    print(f"{'全部页面（不含登录和基准）':<30}{len(pages):>8}{'':>6}{pct(pages, 50):>9.0f}{pct(pages, 95):>9.0f}")
    print(f"{'稳定阶段：全部页面':<30}{len(steady_pages):>8}{'':>6}{pct(steady_pages, 50):>9.0f}"
          f"{pct(steady_pages, 95):>9.0f}")  # fmt: skip
    print(f"{'稳定阶段：基准':<30}{len(steady_base):>8}{'':>6}{pct(steady_base, 50):>9.0f}{pct(steady_base, 95):>9.0f}")
    if timings:
        start = min(at for *_, at in timings)
        print(f"（稳定阶段：最后一个用户登录完成之后，即开始后 {all_in - start:.0f} 秒起）")

    failures = sum(failed.values())
    server_errors = log_errors(work / "gunicorn.log")
    acknowledged = read_lines(markers, "markers")
    stale = read_lines(markers, "stale")
    invalid = read_lines(markers, "invalid")
    refused = read_lines(markers, "refused")
    found = count_writes(database_url, run_id)
    lost = [m for m in acknowledged if found[m] == 0]
    duplicated = [m for m, n in found.items() if n > 1] + [m for m, n in Counter(acknowledged).items() if n > 1]
    refused_written = [m for m in [*stale, *invalid, *refused] if found[m] > 0]
    unacknowledged = set(found) - set(acknowledged) - set(stale) - set(invalid) - set(refused)

    print()
    print(f"保存成功（已确认的写入）：{len(acknowledged)}；过期表单被拒（409）：{len(stale)}；"
          f"表单校验退回：{len(invalid)}；其他被拒：{len(refused)}")  # fmt: skip
    reasons = Counter(
        line.split(maxsplit=2)[2]
        for p in markers.glob("invalid-*.txt")
        for line in p.read_text("utf-8").splitlines()
        if len(line.split(maxsplit=2)) == 3
    )
    for reason, n in reasons.most_common(5):
        print(f"  表单校验退回 {n} 次：{reason}")
    print(f"丢失的写入：{len(lost)}；重复的写入：{len(duplicated)}；被拒却写入的：{len(refused_written)}；"
          f"写入了但未得到确认的：{len(unacknowledged)}")  # fmt: skip
    print(f"错误（非 2xx/3xx，409 除外）：{failures}；gunicorn 日志中的服务器错误：{server_errors}")
    p95_base = pct(base, 95)
    for label, times, baseline in (
        ("全部请求", every, p95_base),
        ("全部页面（不含登录）", pages, p95_base),
        ("稳定阶段全部页面", steady_pages, pct(steady_base, 95)),
    ):
        p95 = pct(times, 95)
        print(f"p95({label}) / p95(基准，同一负载下) = {p95:.0f} / {baseline:.0f} = {p95 / baseline:.1f}（目标 ≤ 10）；"
              f"对空载基准 {idle_p95:.0f} ms：{p95 / idle_p95:.0f}")  # fmt: skip
    if failures:
        print(f"失败明细：{work / 'load_failures.csv'}")
    if timings:
        ended = [at for *_, at in timings]
        seconds = max(ended) - min(ended)
        steady_all = [at for name, _, _, at in timings if at > all_in]
        summary = {
            "label": args.label or f"{args.servers} 个应用服务器" + ("，共用 Redis" if args.cache_url else ""),
            "users": args.users,
            "minutes": args.minutes,
            "servers": args.servers,
            "redis": bool(args.cache_url),
            "requests": len(timings),
            "rps": len(timings) / seconds if seconds else 0.0,
            "steady_rps": len(steady_all) / (max(ended) - all_in) if steady_all and max(ended) > all_in else 0.0,
            "p50": pct(pages, 50),
            "p95": pct(pages, 95),
            "login_p50": pct(by_name.get(LOGIN, []), 50),
            "errors": failures + server_errors,
            "lost": len(lost),
            "duplicated": len(duplicated),
            "writes": len(acknowledged),
        }
        print(f"吞吐量：全程 {summary['rps']:.1f} 请求/秒；稳定阶段 {summary['steady_rps']:.1f} 请求/秒")
        print_cpu(cpu, len(timings))
        summary["cpu_ms_per_request"] = {k: round(v * 1000 / len(timings), 1) for k, v in cpu.items()}
        if args.results:
            with args.results.open("a", encoding="utf-8") as out:
                out.write(json.dumps(summary, ensure_ascii=False) + "\n")
            print_results(args.results)
    bad = failures + server_errors + len(lost) + len(duplicated) + len(refused_written)
    if bad:
        sys.exit(f"负载测试未通过：错误 {failures + server_errors}，丢失 {len(lost)}，重复 {len(duplicated)}，"
                 f"被拒却写入 {len(refused_written)}（日志：{work}）")  # fmt: skip
    print(f"通过：无错误、无丢失、无重复写入（日志：{work}）")


def print_results(path: Path) -> None:
    """Every run recorded in ``path``, one line each, and each run's requests per second against the first's."""
    runs = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    print()
    print(f"{'运行':<26}{'用户':>5}{'分钟':>5}{'请求/秒':>9}{'稳定':>8}{'倍数':>6}{'页面p50':>9}{'页面p95':>9}"
          f"{'登录p50':>9}{'错误':>5}{'丢失':>5}{'重复':>5}")  # fmt: skip
    first = runs[0]["rps"] or 1.0
    for r in runs:
        print(f"{r['label']:<26}{r['users']:>5}{r['minutes']:>5g}{r['rps']:>9.1f}{r['steady_rps']:>8.1f}"
              f"{r['rps'] / first:>6.2f}{r['p50']:>9.0f}{r['p95']:>9.0f}{r['login_p50']:>9.0f}{r['errors']:>5}"
              f"{r['lost']:>5}{r['duplicated']:>5}")  # fmt: skip
    print("（p50/p95 为页面请求，不含登录和基准，单位 ms；倍数为请求/秒相对第一行）")


class PostgresCPU(threading.Thread):
    """CPU seconds of PostgreSQL's processes, sampled every second: a backend ends when its connection closes (Django
    closes one after ``CONN_MAX_AGE``), taking its CPU time with it, so the sum of the processes alive at the end would
    miss most of it. Each process counts from its first sample (or from nothing, if it started during the run) to its
    last; only the last second of a backend that ends is lost."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.started_sampling = False

    def sample(self) -> None:
        import psutil

        for process in psutil.process_iter(["name", "cpu_times"]):
            times = process.info["cpu_times"]
            if process.info["name"] in {"postgres", "postmaster"} and times is not None:
                used = times.user + times.system
                self.first.setdefault(process.pid, used if not self.started_sampling else 0.0)
                self.last[process.pid] = used
        self.started_sampling = True

    def run(self) -> None:
        while True:
            self.sample()
            time.sleep(1)

    def seconds(self) -> float:
        self.sample()
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


POSTGRES = PostgresCPU()


def cpu_seconds(servers: list[subprocess.Popen[bytes]]) -> dict[str, float]:
    """CPU seconds used so far: by the gunicorn processes (masters and their workers), by this process's finished
    children (locust, once it has ended), by PostgreSQL's processes, and by the whole machine (``/proc/stat``), so
    that a run says where its two cores went — the load generator shares the machine with the server it loads."""
    import psutil

    def tree(pid: int) -> float:
        try:
            root = psutil.Process(pid)
            return sum(sum(p.cpu_times()[:2]) for p in [root, *root.children(recursive=True)])
        except psutil.NoSuchProcess:
            return 0.0

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    ticks = os.sysconf("SC_CLK_TCK")
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    busy = (sum(fields) - fields[3] - fields[4]) / ticks  # all but idle and iowait
    return {
        "gunicorn": sum(tree(server.pid) for server in servers),
        "locust": children.ru_utime + children.ru_stime,
        "postgres": POSTGRES.seconds(),
        "machine": busy,
    }


def print_cpu(cpu: dict[str, float], requests: int) -> None:
    """Where the machine's CPU went during the load, in all and per request."""
    other = cpu["machine"] - cpu["gunicorn"] - cpu["locust"] - cpu["postgres"]
    parts = [("gunicorn（应用）", cpu["gunicorn"]), ("locust（负载发生器）", cpu["locust"]),
             ("PostgreSQL", cpu["postgres"]), ("其他", other)]  # fmt: skip
    print(
        "负载期间 CPU："
        + "；".join(
            f"{name} {seconds:.0f} 秒（{seconds / cpu['machine']:.0%}，每请求 {seconds * 1000 / requests:.1f} ms）"
            for name, seconds in parts
        )
        + f"；整机 {cpu['machine']:.0f} 秒（每请求 {cpu['machine'] * 1000 / requests:.1f} ms）"
    )


def pct(times: list[float], p: int) -> float:
    """The p-th percentile (nearest rank), as locust reports it."""
    if not times:
        return float("nan")
    ordered = sorted(times)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


def read_timings(folder: Path) -> list[tuple[str, float, int, float]]:
    """(request type, milliseconds, 1 if it failed, when it ended) for every request of the run."""
    rows = []
    for path in folder.glob("timings-*.tsv"):
        for line in path.read_text("utf-8").splitlines():
            if line:
                name, ms, failure, at = line.split("\t")
                rows.append((name, float(ms), int(failure), float(at)))
    return rows


def log_errors(path: Path) -> int:
    """Tracebacks and worker deaths gunicorn logged (an error page the locust user missed still shows here)."""
    text = path.read_text("utf-8", errors="replace")
    return len(re.findall(r"Internal Server Error|Traceback \(most recent call last\)|WORKER TIMEOUT", text))


if __name__ == "__main__":
    main()
