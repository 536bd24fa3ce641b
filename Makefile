# The two set-up commands in the README are `make demo` and `make test`; both install first if needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INTELLIGIBILITY_STAMP := $(VENV)/.installed-intelligibility
SAMPLES := $(wildcard samples/*.txt samples/*.md samples/*.html)

.PHONY: install demo test lint bench bench-memory bench-intelligibility clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[service,test]'
	# The package is installed editable, so pip compiles none of it; where PYTHONDONTWRITEBYTECODE is set
	# (CI images, some servers) every command would compile ~110 modules again (a third of a second).
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

# Builds every sample offline with the espeak-ng engine into out/, with the sample newsroom settings, and
# out/index.html: every sample with its player.
demo: $(STAMP)
	@mkdir -p out
	@for f in $(SAMPLES); do \
		name=$$(basename "$${f%.*}"); \
		$(BIN)/readaloud --config samples/readaloud.toml build "$$f" --engine espeak -o "out/$$name.mp3" || exit 1; \
	done
	@$(BIN)/readaloud player out/*.mp3 --index out/index.html --title "readaloud: các bài mẫu"
	@ls -l out/*.mp3
	@echo "Listen: open out/index.html in a browser (as a file: a web server must answer range requests to seek)"

test: $(STAMP)
	$(BIN)/python -m pytest

# Long measurements, kept out of `make test`.
bench: $(STAMP)
	$(BIN)/python bench/run.py

bench-memory: $(STAMP)
	$(BIN)/python bench/memory.py

# The recogniser that scores espeak-ng's voices is an extra of its own (a 56 MB wheel), installed on first use.
$(INTELLIGIBILITY_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[intelligibility]'
	touch $(INTELLIGIBILITY_STAMP)

bench-intelligibility: $(INTELLIGIBILITY_STAMP)
	$(BIN)/python bench/intelligibility.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy

clean:
	rm -rf out build dist *.egg-info src/*.egg-info .pytest_cache .ruff_cache
