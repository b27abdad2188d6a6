# Two commands a newcomer runs: `make report` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: fuzz report test lint bench precision schema rules clean reference

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/dhc build data --out build

# One worker per core (pytest-xdist); each test module runs on one worker, so that its fixtures
# are built once, and modules go out in collection order, so that the longest one
# (tests/checks/test_property.py) starts early. A plain `pytest` runs serially.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadscope --no-loadscope-reorder

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src

# Regenerate the committed JSON Schemas and docs/rules.md after changing the models or the rules.
schema: $(STAMP)
	$(BIN)/dhc schema --out schemas

rules: $(STAMP)
	$(BIN)/dhc rules --markdown > docs/rules.md

# Mutated copies of data/ through check, build and import; 0 crashes, internal errors, slow cases expected.
SEED ?= 0
COUNT ?= 10000
fuzz: $(STAMP)
	$(BIN)/python tools/fuzz.py --seed $(SEED) --count $(COUNT)

# dhc beside Pandoc and a bare Python (paired rounds), 1x/10x/50x documents, stages and slowest rules.
bench: $(STAMP)
	$(BIN)/python tools/bench.py --data data

# Precision of `dhc check` per rule on the seed, the precision drafts and the corpus, from the
# hand-made labels in tests/checks/precision/labels.yaml.
precision: $(STAMP)
	$(BIN)/python tools/precision.py

# Regenerate templates/reference.docx (styles, page setup, header table) from its script.
reference: $(STAMP)
	$(BIN)/python tools/make_reference_docx.py templates/reference.docx

clean:
	rm -rf build .pytest_cache
