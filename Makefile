# Spolu: `make run` serves the demo, `make test` runs the checks. Needs Python 3.11+ only.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATA := $(or $(SPOLU_DATA_DIR),data)
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails point at the address `make run` serves on, unless told otherwise.
SPOLU_SITE_URL ?= http://$(HOST):$(PORT)
# The demo's e-mails (the seed's notifications, sign-up codes) are written here, one file per
# sending, instead of flooding the console; an EMAIL_FILE_PATH or EMAIL_HOST given wins.
EMAIL_FILE_PATH ?= $(abspath $(DATA))/mail
RUN_ENV = SECRET_KEY=$$(cat $(DATA)/secret_key) SPOLU_SITE_URL="$(SPOLU_SITE_URL)" \
	EMAIL_FILE_PATH="$(EMAIL_FILE_PATH)"

.PHONY: run test guide install install-test install-bench lint messages clean

# The dependencies (and, given "test", the test extras) declared in pyproject.toml. Spolu runs
# from its folder, so only the dependencies are installed, not the project itself.
define REQUIREMENTS
import sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
extras = [d for name in sys.argv[1:] for d in project["optional-dependencies"][name]]
print("\n".join(project["dependencies"] + extras))
endef
export REQUIREMENTS

# Reinstall only when pyproject.toml changes, so a second `make run` starts in seconds.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Spolu needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -c "$$REQUIREMENTS" > $(VENV)/requirements.txt
	$(PY) -m pip install --quiet -r $(VENV)/requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -c "$$REQUIREMENTS" test > $(VENV)/requirements-test.txt
	$(PY) -m pip install --quiet -r $(VENV)/requirements-test.txt
	touch $@

$(VENV)/.installed-bench: $(VENV)/.installed
	$(PY) -c "$$REQUIREMENTS" bench > $(VENV)/requirements-bench.txt
	$(PY) -m pip install --quiet -r $(VENV)/requirements-bench.txt
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
# What bench/live.py --server uvicorn needs besides the test tools.
install-bench: $(VENV)/.installed-bench

# A secret key made once per checkout, so sessions survive restarts of the demo.
$(DATA)/secret_key:
	mkdir -p $(DATA)
	$(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# Static files under hashed names, cached by browsers for a year (config/static.py); collected
# again only when a static file (or an installed package, which brings its own) changes, as
# collecting and compressing them all takes seconds.
STATIC_SOURCES := $(shell find static */static -type f 2>/dev/null)
$(DATA)/staticfiles/staticfiles.json: $(VENV)/.installed $(DATA)/secret_key $(STATIC_SOURCES)
	SECRET_KEY=$$(cat $(DATA)/secret_key) $(PY) manage.py collectstatic --no-input -v 0
	touch $@

run: $(VENV)/.installed $(DATA)/secret_key $(DATA)/staticfiles/staticfiles.json
	mkdir -p "$(EMAIL_FILE_PATH)"
	$(RUN_ENV) $(PY) manage.py migrate --no-input -v 0
	$(RUN_ENV) $(PY) manage.py seed_demo
	@echo
	@echo "  Spolu is running at http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password: spolu-demo):"
	@echo "    admin@spolu.example        staff@spolu.example      facilitator@spolu.example"
	@echo "    monitor@spolu.example      resident@spolu.example"
	@echo "  E-mails (sign-up codes, notifications) are written to $(EMAIL_FILE_PATH)/"
	@echo "  Stop with Ctrl+C."
	@echo
	$(RUN_ENV) $(PY) -m config.serve -b $(HOST) -p $(PORT) config.asgi:application

test: $(VENV)/.installed-test lint
	$(VENV)/bin/pytest

# Walk the guide (docs/guide/) in Chromium on the demo city and take its screenshots again,
# into docs/guide/img/ (stale ones removed first); `make test` takes them into a temporary folder.
guide: $(VENV)/.installed-test
	rm -f docs/guide/img/*.png
	SPOLU_GUIDE_SCREENSHOTS=docs/guide/img SPOLU_REQUIRE_BROWSER=1 $(VENV)/bin/pytest tests/e2e/test_guide.py

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Regenerate the translation catalogues: the project-wide one, then each app's own.
# The project-wide run skips the apps with their own catalogue by "app/?*": Django turns "app/*"
# into "app", which would also skip every folder of that name (templates/accounts/ among them).
messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages -l sk -l en -l fr --ignore '.venv/?*' \
		$(foreach app,$(wildcard */locale),--ignore '$(dir $(app))?*') -v 0
	for app in $(dir $(wildcard */locale)); do \
		(cd $$app && env -u DJANGO_SETTINGS_MODULE ../$(VENV)/bin/django-admin makemessages -l sk -l en -l fr -v 0); \
	done

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
