# casegraph: the two commands of the quick start, and the pieces they are made of.
# Everything a fresh machine needs (virtual env, packages, the local Neo4j) is set up here.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CASEGRAPH := $(BIN)/casegraph

.PHONY: locale run test install web-assets system-deps lint typecheck db-start db-stop demo-data examples-ingest demo-users bench model clean

# Headless Chromium (with a CJK font) and pdftoppm render bundles to PNG in the tests; Java 17 and Maven run the
# local Neo4j. Installed from Debian's packages when missing (needs root, as on CI).
SYSTEM_TOOLS := chromium:chromium npm:npm pdftoppm:poppler-utils java:openjdk-17-jdk-headless mvn:maven
system-deps:
	@missing=""; for pair in $(SYSTEM_TOOLS); do \
	  tool=$${pair%%:*}; pkg=$${pair##*:}; \
	  command -v $$tool >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	ls /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc >/dev/null 2>&1 || missing="$$missing fonts-wqy-zenhei"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "run as root or install:$$missing"; exit 1; fi; \
	fi

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11+"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,spark]'
	touch $(STAMP)

# The workbench's front-end packages (casegraph/web/package-lock.json), from npm, no install scripts;
# the files the app serves are copied into the git-ignored casegraph/web/vendor/.
WEB := casegraph/web
WEB_VENDOR := $(WEB)/vendor/.copied
$(WEB_VENDOR): $(WEB)/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js (Debian: nodejs npm)"; exit 1; }
	cd $(WEB) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	mkdir -p $(WEB)/vendor
	cp $(WEB)/node_modules/cytoscape/dist/cytoscape.esm.min.mjs $(WEB)/vendor/cytoscape.esm.min.js
	cp $(WEB)/node_modules/swagger-ui-dist/swagger-ui-bundle.js $(WEB)/node_modules/swagger-ui-dist/swagger-ui.css $(WEB)/vendor/
	touch $(WEB_VENDOR)

web-assets: $(WEB_VENDOR)

install: $(STAMP) $(WEB_VENDOR)

# The message catalogue: new messages of the code into the .po (untranslated), then the .mo gettext reads.
locale: install
	CASEGRAPH_LANG=en $(BIN)/python -m casegraph.i18n.collect

db-start: install
	$(CASEGRAPH) db start
	$(CASEGRAPH) db migrate

db-stop:
	-$(CASEGRAPH) db stop

# The demo agencies of examples/ and their files.
examples-ingest: db-start
	$(CASEGRAPH) agency add cq-police --kind police --region CQ --name 重庆市公安局经济犯罪侦查总队
	$(CASEGRAPH) agency add sc-police --kind police --region SC --name 四川省公安厅经济犯罪侦查总队
	$(CASEGRAPH) agency add cq-procuratorate --kind procuratorate --region CQ --name 重庆市人民检察院
	$(CASEGRAPH) agency add sc-procuratorate --kind procuratorate --region SC --name 四川省人民检察院
	$(CASEGRAPH) agency add cq-regulator --kind regulator --region CQ --name 国家金融监督管理总局重庆监管局
	$(CASEGRAPH) agency add sc-regulator --kind regulator --region SC --name 国家金融监督管理总局四川监管局
	@for dir in examples/*/; do \
	  agency=$$(basename $$dir); \
	  $(CASEGRAPH) ingest $$dir --agency $$agency || exit 1; \
	done

# One demo investigator per agency; a second `make run` gives them new keys (the old ones stop working).
DEMO_AGENCIES := cq-police sc-police cq-procuratorate sc-procuratorate cq-regulator sc-regulator
demo-users: examples-ingest
	@echo "Demo API keys (send as 'Authorization: Bearer <key>'):"
	@for agency in $(DEMO_AGENCIES); do \
	  key=$$($(CASEGRAPH) users add demo-$$agency --agency $$agency --role investigator 2>/dev/null \
	         || $(CASEGRAPH) users rotate demo-$$agency 2>/dev/null) || exit 1; \
	  printf '  %-18s demo-%-18s %s\n' $$agency $$agency $$key; \
	done

run: demo-users
	$(CASEGRAPH) serve

test: install system-deps
	$(BIN)/ruff check casegraph tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

# Rebuilds the packaged PERSON/ORG model (casegraph/ingest/ner/model) from the project's gold and a
# generated corpus; spaCy's training, seed 1, CPU (about 10 minutes on 2 busy cores).
model: install
	$(CASEGRAPH) model train

lint: install
	$(BIN)/ruff check casegraph tests benchmarks

typecheck: install
	$(BIN)/mypy

clean: db-stop
	rm -rf $(VENV) .casegraph
