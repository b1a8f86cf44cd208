# Two commands for a fresh machine with Python 3.11 and pip:
#   make lab    set up, copy the chapters into work/, serve JupyterLab on the start page
#               (make lab EDITION=zh: the Chinese edition, 中文版)
#   make test   set up, run every test (helpers, doctests, notebooks)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: lab test notebooks catalogs setup workspace bench bench-large clean

# The virtual environment is (re)installed when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[lab,test]"
	touch $(STAMP)

setup: $(STAMP)

# Regenerates exercises/ and solutions/ for every chapter whose source changed.
notebooks: $(STAMP)
	$(PY) -m crmlab build

# After changing a student-facing string: extract, merge into the catalogs, compile.
catalogs: $(STAMP)
	$(PY) -m crmlab catalogs

# The student's own copies live in work/ (git-ignored). `crmlab workspace` copies the
# chapters that are missing there and never replaces a notebook the student edited (a newer
# chapter is put beside it as NN_name.new.ipynb). Generated notebooks are not rebuilt here:
# that is `make notebooks`, for developers.
# EDITION=zh gives the Chinese edition (中文版), in work/zh/.
EDITION ?= en
START   := $(if $(filter zh,$(EDITION)),zh/,)00_start_here.ipynb
workspace: $(STAMP)
	$(PY) -m crmlab workspace --language $(EDITION)

# Prints the URL of the start page and keeps serving (also on a headless machine); Ctrl+C
# stops it. JupyterLab refuses to run as root (containers, CI) unless told to.
AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
lab: workspace
	$(VENV)/bin/jupyter lab --ServerApp.root_dir="$(CURDIR)/work" $(AS_ROOT) \
		--LabApp.default_url=/lab/tree/$(START) --no-browser $(LAB_ARGS)

# Two workers (the machines this suite targets have 2 cores); a notebook's cells stay in one
# worker (--dist loadfile), as nbval needs one kernel per notebook.
test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) benchmarks/man.py
	$(PY) benchmarks/rfm.py
	$(PY) benchmarks/clv.py
	$(PY) benchmarks/warehouse.py
	$(PY) benchmarks/fit_patterns.py

# The figures of benchmarks/README.md: tens of minutes and ~3 GB of temporary Parquet
# files; run one at a time on an otherwise idle machine.
bench-large: $(STAMP)
	$(PY) benchmarks/warehouse.py --rows 20e6 --rows 100e6
	$(PY) benchmarks/fit_patterns.py --customers 10e6

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

# --- Teachers: present, slides, site, trust (crmlab.course.present / slides / site / trust) ---
#   make present CHAPTER=02_man_case [EDITION=zh] [PORT=8866] [SLIDES=1]
#               the chapter's lesson as a live Voila dashboard, code hidden, on
#               http://127.0.0.1:PORT/ (prints the URL; headless-friendly; Ctrl+C stops it);
#               SLIDES=1: as reveal.js slides (the decks' slide breaks), widgets still live
#   make slides [CHAPTER=02_man_case] [EDITION=zh]   offline reveal.js decks in build/slides/
#   make site   the offline course site of every chapter, both languages, in build/site/
#   make trust  JupyterLab then draws the saved widgets of solutions/ on this machine
# The first slides/site run fetches pinned front-end files once with npm (sha512-checked)
# into build/vendor/.
PORT    ?= 8866
CHAPTER ?=
# EDITION limits slides to one language only when given on the command line
SLIDE_LANG := $(if $(filter command line,$(origin EDITION)),--language $(EDITION))

.PHONY: present slides site trust
present: $(STAMP)
	@test -n "$(CHAPTER)" || { echo "say which chapter: make present CHAPTER=02_man_case [EDITION=zh] [SLIDES=1]"; exit 2; }
	$(PY) -m crmlab present $(CHAPTER) --language $(EDITION) --port $(PORT) $(if $(SLIDES),--slides)

slides: $(STAMP)
	$(PY) -m crmlab slides $(CHAPTER) $(SLIDE_LANG)

site: $(STAMP)
	$(PY) -m crmlab site

trust: $(STAMP)
	$(PY) -m crmlab trust
