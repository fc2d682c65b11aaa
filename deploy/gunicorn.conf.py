"""gunicorn's settings for Fuyuan (deploy/systemd/fuyuan-web.service passes ``--config`` this file).

Every number can be changed in /etc/fuyuan/fuyuan.env without editing this file."""

import multiprocessing
import os

# Processes × threads. Default: one process per core (at least two), 4 threads, so that a long export streaming for a
# minute holds one thread, not a whole process. A request is mostly Python, not a wait on PostgreSQL (bench/README.md,
# `bench_load.py`: 25 ms of the application's CPU against 6 of PostgreSQL's), so a process's threads mostly take turns:
# on 2 cores under 200 users, 4 processes × 1 thread served 6–7 % more than 2 × 4 or 4 × 4, at a p95 of 1.8 s
# against 3.2–3.7 s. A deployment without long exports may set FUYUAN_WEB_WORKERS=4 (two per core) and
# FUYUAN_WEB_THREADS=1.
workers = int(os.environ.get("FUYUAN_WEB_WORKERS", max(2, multiprocessing.cpu_count())))
threads = int(os.environ.get("FUYUAN_WEB_THREADS", "4"))
# A ledger export of 100,000 rows streams for about a minute; nginx waits as long (deploy/nginx/fuyuan.conf).
timeout = int(os.environ.get("FUYUAN_WEB_TIMEOUT", "120"))
graceful_timeout = 30
# nginx keeps its connections to the application open (upstream keepalive): longer than nginx's own idle time.
keepalive = 75
# A restart of a process after this many requests (with jitter so they do not all restart together) bounds any leak.
max_requests = 5000
max_requests_jitter = 500
# Logs go to stderr (journald); the application writes one JSON line per request itself (fuyuan.request).
accesslog = None
errorlog = "-"
# The application's start-up checks (the personal-data keys) run once in the master, before any worker forks.
preload_app = True
# Behind nginx on the same machine or the private network: believe its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FUYUAN_FORWARDED_ALLOW_IPS", "127.0.0.1")
