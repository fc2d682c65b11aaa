# The README's two commands: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run dev test lint vendor bench load clean

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

test: lint
	$(BIN)/pytest

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

# 200 users browsing, filtering and editing for 5 minutes on gunicorn + PostgreSQL (issue 7); needs a local PostgreSQL.
# FUYUAN_LOAD_USERS, FUYUAN_LOAD_MINUTES, FUYUAN_LOAD_DB (dropped and recreated) override the defaults.
load: $(STAMP)
	$(BIN)/python bench/bench_load.py

clean:
	rm -rf $(VENV) data
