# The README's two commands: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Python keeps its compiled modules (__pycache__, ignored by git) even where the environment says not to
# (PYTHONDONTWRITEBYTECODE=1): without them every `fuyuan` process compiles Fuyuan's modules again (0.5 s of CPU) and
# every pytest process rewrites the asserts of every test module again (8 s of CPU), hundreds of times a suite.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: run dev test screenshots quick test-week lint vendor bench load clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# What a user should see: debug off, the site's Chinese error pages, static files served by WhiteNoise.
run: $(STAMP)
	$(BIN)/fuyuan migrate --noinput
	$(BIN)/fuyuan demo --if-empty
	@mkdir -p data && echo "定时任务进程 fuyuan worker 在后台运行（提醒、督办、发送通知），日志：data/worker.log"
	$(BIN)/fuyuan worker >> data/worker.log 2>&1 & trap 'kill $$! 2>/dev/null' EXIT; $(BIN)/fuyuan runserver 127.0.0.1:8000

# The same for development: Django's debug pages and readable text logs.
dev: export FUYUAN_DEBUG = 1
dev: run

lint: $(STAMP)
	$(BIN)/ruff check fuyuan tests bench
	$(BIN)/ruff format --check fuyuan tests bench
	$(BIN)/mypy fuyuan

# The whole suite in three processes (pytest-xdist; each has its own test database, on SQLite and PostgreSQL alike):
# on two cores a third worker runs while the others wait on chromium, a server or a subprocess. The tests that share
# minutes of setup run on one worker (the full demo and the demo walk their demos, the server start its server:
# SHARED_SETUP in tests/conftest.py), the slow ones first.
PYTEST_WORKERS ?= 3
XDIST = -n $(PYTEST_WORKERS) --dist loadgroup --no-loadscope-reorder
test: lint
	$(BIN)/pytest $(XDIST)

# The browser tests with a screenshot of every page they visit, in test-artifacts/, for a person to look at.
screenshots: $(STAMP)
	FUYUAN_SCREENSHOTS=1 $(BIN)/pytest $(XDIST) -m browser

# A developer's loop: the suite without the tests marked `slow` (minutes each: the kill tests, the CSP crawls, the full
# demo), which `make test` and CI run.
quick: $(STAMP)
	$(BIN)/pytest $(XDIST) -m "not slow"

# The suite once on each day of a week that crosses a holiday (the 2026 National Day: Monday 28 September to Sunday
# 4 October), with the clock moved by FUYUAN_TEST_TODAY (tests/conftest.py). The browser tests keep the real time
# (chromium's clock) and so do the tests marked `real_clock` (their `fuyuan` processes): they are left out.
# Another week: make test-week WEEK="2027-02-01 2027-02-02 ...".
WEEK ?= 2026-09-28 2026-09-29 2026-09-30 2026-10-01 2026-10-02 2026-10-03 2026-10-04
test-week: $(STAMP)
	@failed=""; for day in $(WEEK); do \
	  echo "== FUYUAN_TEST_TODAY=$$day"; \
	  FUYUAN_TEST_TODAY=$$day $(BIN)/pytest $(XDIST) -m "not browser and not real_clock" || failed="$$failed $$day"; \
	done; \
	if [ -n "$$failed" ]; then echo "failed on:$$failed"; exit 1; fi; echo "passed on every day: $(WEEK)"

# Refresh the pinned front-end files from the npm registry (versions in package.json).
vendor:
	npm install --no-fund --no-audit
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js \
	   node_modules/htmx.org/dist/htmx.min.js node_modules/echarts/dist/echarts.min.js fuyuan/static/vendor/

bench: $(STAMP)
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_stats.py
	$(BIN)/python bench/bench_sweep.py
	$(BIN)/python bench/bench_dashboard.py
	$(BIN)/python bench/bench_risk.py

# 200 users browsing, filtering and editing for 5 minutes on gunicorn + PostgreSQL (issue 7); needs a local PostgreSQL.
# FUYUAN_LOAD_USERS, FUYUAN_LOAD_MINUTES, FUYUAN_LOAD_DB (dropped and recreated) override the defaults.
load: $(STAMP)
	$(BIN)/python bench/bench_load.py

clean:
	rm -rf $(VENV) data
