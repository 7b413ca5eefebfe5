# Digitalnetzwerk — the two commands a fresh machine needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

CARGO ?= cargo
NPM ?= npm
BIN := target/debug/digitalnetzwerk
FRONTEND := frontend

.PHONY: bench help run test test-rust test-api-schema test-frontend test-e2e check-tools lint frontend-deps oidc-deps frontend-build server openapi check-openapi clean

help:
	@echo "make run   – baut Oberfläche und Server und startet beides mit SQLite und Demo-Daten auf http://127.0.0.1:8080"
	@echo "make test  – alle Tests: Rust auf SQLite und PostgreSQL, Frontend-Lint/Typprüfung/Unit-Tests, Browser-Tests"

$(FRONTEND)/node_modules/.package-lock.json: $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && $(NPM) ci --no-audit --no-fund

frontend-deps: $(FRONTEND)/node_modules/.package-lock.json

# The real OpenID provider the SSO tests start on loopback (npm oidc-provider, pinned).
OIDC_OP := tests/oidc-provider
$(OIDC_OP)/node_modules/.package-lock.json: $(OIDC_OP)/package-lock.json
	cd $(OIDC_OP) && $(NPM) ci --no-audit --no-fund

oidc-deps: $(OIDC_OP)/node_modules/.package-lock.json

frontend-build: frontend-deps
	cd $(FRONTEND) && $(NPM) run build

server:
	$(CARGO) build --bin digitalnetzwerk

run: frontend-build server
	STATIC_DIR=$(CURDIR)/$(FRONTEND)/dist COOKIE_SECURE=$${COOKIE_SECURE:-false} $(BIN) serve --seed-demo-if-empty

# Fails loudly, naming the package, when PostgreSQL or Chromium is missing.
check-tools:
	@scripts/check-tools.sh

openapi: server
	$(BIN) openapi > $(FRONTEND)/openapi.json
	cd $(FRONTEND) && $(NPM) run gen:api

# The committed snapshot must equal what the server generates.
check-openapi: server frontend-deps
	@$(BIN) openapi | diff -q - $(FRONTEND)/openapi.json >/dev/null || { \
		echo "frontend/openapi.json ist veraltet: 'make openapi' ausführen und committen." >&2; exit 1; }
	cd $(FRONTEND) && $(NPM) run check:api

lint: frontend-deps
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	cd $(FRONTEND) && $(NPM) run lint && $(NPM) run typecheck

test-rust: oidc-deps
	scripts/with-postgres.sh $(CARGO) test --all-targets

# schemathesis against the OpenAPI document as three roles (SQLite) and the coordinator
# (PostgreSQL): 0 server errors, 0 answers the document does not describe.
test-api-schema: server
	scripts/with-postgres.sh scripts/schemathesis.sh $(BIN)

test-frontend: frontend-deps
	cd $(FRONTEND) && $(NPM) run lint && $(NPM) run typecheck && $(NPM) test

test-e2e: frontend-deps oidc-deps server
	cd $(FRONTEND) && DN_BIN=$(CURDIR)/$(BIN) $(NPM) run e2e

test: check-tools server check-openapi test-rust test-api-schema test-frontend test-e2e
	@echo "Alle Tests bestanden (Rust auf SQLite und PostgreSQL, schemathesis, Frontend, Browser)."

clean:
	$(CARGO) clean
	rm -rf $(FRONTEND)/dist $(FRONTEND)/node_modules

# Quality and speed figures for BENCHMARKS.md.
.PHONY: bench
bench:
	set -o pipefail; $(CARGO) test --release --lib projects::similar -- --nocapture 2>&1 | grep -E "precision@3|test result"
	set -o pipefail; scripts/with-postgres.sh $(CARGO) test --release --test api search_quality -- --nocapture 2>&1 | grep -E "recall@10|test result"
	@command -v wrk >/dev/null || { echo "wrk fehlt (Lastgenerator): apt-get install wrk" >&2; exit 1; }
	$(CARGO) build --release --bin digitalnetzwerk --example load --example bare --example mail --example usage
	./target/release/examples/mail
	scripts/with-postgres.sh sh -c 'BENCH_PG_URL=$$TEST_PG_URL ./target/release/examples/load'
	scripts/with-postgres.sh sh -c 'BENCH_PG_URL=$$TEST_PG_URL ./target/release/examples/usage'
