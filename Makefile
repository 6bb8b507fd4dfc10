# Makefile for opsbook. Plain GNU make; library flags come from pkg-config.
# SPDX-License-Identifier: MIT

CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CFLAGS  ?= -O2 -g
LDFLAGS ?=

ifeq ($(V),1)
Q :=
else
Q := @
endif

PKGS := libcmark-gfm libpng yaml-0.1 zlib libxxhash
# Headers only, opened with dlopen() when first used, so that runs which do
# not use them start faster (dlopen is in glibc's libc since 2.34: no -ldl):
# libcurl by src/mail_send.c when `mail --send` sends; the graphics stack
# and libxlsxwriter through src/graphics_lib.c and src/xlsx_lib.c (see
# include/opsbook/lazylib.h) when a chart is drawn or a workbook written;
# libmicrohttpd through src/httpd_lib.c when `opsbook serve` starts.
GRAPHICS_PKGS := cairo pangocairo pangoft2 fontconfig
HDR_PKGS := libcurl xlsxwriter libmicrohttpd $(GRAPHICS_PKGS)
WARN := -std=c11 -Wall -Wextra -Werror -Wstrict-prototypes \
        -Wmissing-prototypes -Wwrite-strings -Wvla -Wformat-security \
        -fno-common
# Recursive (=) on purpose: pkg-config runs when a recipe needs it, after the
# deps step below has installed what was missing.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) $(HDR_PKGS))
# The libraries every run needs are linked from the static archives their
# Debian -dev packages ship: the dynamic loader then maps and binds six
# libraries fewer, and `opsbook --version` takes 0.9-1.0 ms instead of
# 1.2-1.4 (a rebuild after one edit takes 13). `make STATIC=0` links them
# as shared libraries instead.
STATIC ?= 1
ifeq ($(STATIC),1)
PKG_LIBS   = $(shell pkg-config --libs-only-L $(PKGS)) -Wl,-Bstatic \
             -Wl,--start-group $(shell pkg-config --libs-only-l $(PKGS)) \
             -Wl,--end-group -Wl,-Bdynamic
else
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
endif
ALL_CFLAGS = $(WARN) $(CFLAGS) -D_XOPEN_SOURCE=700 -Iinclude \
             $(PKG_CFLAGS) -MMD -MP
LIBS       = $(PKG_LIBS) -lpthread -lm $(EXPORTS)
# The one name the binary exports: minizip's function that libxlsxwriter
# calls for each part of a workbook, so that the call reaches
# src/xlsx_lib.c, which sets how hard the workbook is compressed.
EXPORTS    = -Wl,--export-dynamic-symbol=zipOpenNewFileInZip4_64

# The soname of lib$(1).so, read off the library the linker would take: the
# one whose headers the build uses. lazylib.h opens these.
soname = $(shell objdump -p "$$($(CC) -print-file-name=lib$(1).so)" 2>/dev/null | \
           sed -n 's/^ *SONAME *//p')
sonames = $(foreach l,$(1),\"$(call soname,$(l))\",)
# pangocairo alone: dlsym() looks in the libraries it needs too (pango,
# pangoft2, cairo, fontconfig, gobject), and opening them again by name
# would only give valgrind glibc's bookkeeping of the second opening.
GRAPHICS_LIBS = pangocairo-1.0
$(BUILD)/obj/graphics_lib.o: ALL_CFLAGS += \
    -DOB_GRAPHICS_SONAMES="$(call sonames,$(GRAPHICS_LIBS))"
$(BUILD)/obj/xlsx_lib.o: ALL_CFLAGS += \
    -DOB_XLSX_SONAMES="$(call sonames,xlsxwriter)"
$(BUILD)/obj/pq_lib.o: ALL_CFLAGS += -DOB_PQ_SONAMES="$(call sonames,pq)"
$(BUILD)/obj/httpd_lib.o: ALL_CFLAGS += \
    -DOB_MHD_SONAMES="$(call sonames,microhttpd)"

SRCS      := $(sort $(wildcard src/*.c))
LIB_SRCS  := $(filter-out src/main.c,$(SRCS))
LIB_OBJS  := $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/scaffold_data.o \
             $(BUILD)/obj/theme_data.o
TEST_SRCS := $(sort $(wildcard tests/unit/test_*.c))
TEST_BINS := $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
BIN       := $(BUILD)/opsbook
# Warehouse sources (type: postgres, src/warehouse.c) speak libpq, opened
# when the first one connects (src/pq_lib.c).
HDR_PKGS  += libpq

# The files `opsbook new` writes: the demo site at the repo root.
SCAFFOLD := opsbook.yaml $(sort $(shell find content data layouts static \
              -type f 2>/dev/null))

.PHONY: all deps test asan coverage valgrind fuzz fuzz-run demo bench install uninstall \
        clean lint format format-check
.DEFAULT_GOAL := all

all: $(BIN) opsbook

# Installs the Debian packages we build against when any is missing.
deps: $(BUILD)/.deps
$(BUILD)/.deps: tools/deps.sh
	$(Q)mkdir -p $(BUILD)
	$(Q)sh tools/deps.sh
	$(Q)touch $@

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/scaffold_data.c: tools/embed.sh $(SCAFFOLD)
	@mkdir -p $(dir $@)
	$(Q)sh tools/embed.sh scaffold "" $(SCAFFOLD) > $@.tmp && mv $@.tmp $@

# The built-in theme (layouts and assets), overridable file by file.
THEME := $(sort $(shell find src/theme -type f 2>/dev/null))
$(BUILD)/theme_data.c: tools/embed.sh $(THEME)
	@mkdir -p $(dir $@)
	$(Q)sh tools/embed.sh theme src/theme/ $(THEME) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/%_data.o: $(BUILD)/%_data.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BIN): $(BUILD)/obj/main.o $(LIB_OBJS)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# A convenience link at the top so `./opsbook build` works after `make`.
opsbook: $(BIN)
	$(Q)ln -sf $(BIN) opsbook

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS) tests/unit/runner.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit -Isrc $(LDFLAGS) -o $@ $< $(LIB_OBJS) \
	    $(LIBS)

# The fault injector tests/e2e/faults.sh preloads (never linked into
# opsbook). Built without CFLAGS: no sanitizer, so that it preloads into
# the asan binary too.
FAULTINJECT := $(BUILD)/tests/faultinject.so
$(FAULTINJECT): tests/tools/faultinject.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=c11 -Wall -Wextra -Werror -O2 -g -fPIC -shared -o $@ $<

# Test-only dependencies: node and @duckdb/node-api (pinned in the script),
# which the tests cross-check opsbook against. One copy in build/node, shared
# by every BUILD (asan too), so CI downloads it once.
NODE_DEPS := $(abspath build)/node
$(NODE_DEPS)/.installed: tools/test-deps.sh
	$(Q)sh tools/test-deps.sh $(NODE_DEPS)
	$(Q)touch $@

# Unit tests, then end-to-end cases; the last line is "N passed, N failed".
test: $(BIN) $(TEST_BINS) $(FAULTINJECT) $(NODE_DEPS)/.installed
	$(Q)BUILD=$(BUILD) OPSBOOK=$(abspath $(BIN)) \
	    DUCKDB_NODE=$(NODE_DEPS)/node_modules sh tests/run

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer.
# Line and branch coverage of src/ by the whole suite (gcc's gcov, read by
# Debian's gcovr); the summary ends the output, the report for each file
# goes to build-cov/coverage.txt.
COVERAGE_MIN ?= 85
coverage:
	$(Q)command -v gcovr >/dev/null 2>&1 || \
	    sh tools/apt-install.sh "coverage" gcovr
	$(Q)find build-cov -name '*.gcda' -delete 2>/dev/null || true
	@# atomic counters: threads update them at once (a lost update can
	@# leave gcov a negative branch count, which gcovr refuses)
	$(Q)OB_COVERAGE=1 $(MAKE) --no-print-directory BUILD=build-cov \
	    CFLAGS="-O0 -g --coverage -fprofile-update=atomic" \
	    LDFLAGS="--coverage" test
	@# A process that ends while another of its threads still counts (an
	@# error on one thread: exit() from there) writes its counts as they
	@# stand mid-run: a branch can then be taken more often than the line
	@# before it ran, a negative count gcovr cannot parse. Such lines are
	@# skipped, and named on stderr.
	$(Q)gcovr --root . --filter 'src/' --object-directory build-cov/obj \
	    --exclude-unreachable-branches --gcov-ignore-parse-errors \
	    --txt build-cov/coverage.txt \
	    --print-summary --fail-under-line $(COVERAGE_MIN)

asan:
	$(Q)LSAN_OPTIONS=suppressions=$(abspath tools/lsan.supp):print_suppressions=0 \
	    $(MAKE) --no-print-directory BUILD=build-asan \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" test

# libFuzzer targets (tests/fuzz/fuzz_NAME.c over tests/fuzz/corpus/NAME/),
# each run for FUZZ_SECONDS; new inputs go to build-fuzz/, not the repo.
FUZZ_SECONDS ?= 60
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
fuzz:
	$(Q)$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
	    CFLAGS="-g -O1 -fsanitize=fuzzer-no-link,address,undefined" fuzz-run

fuzz-run: $(LIB_OBJS)
	$(Q)for t in $(FUZZ_NAMES); do \
	    $(CC) $(ALL_CFLAGS) -fsanitize=fuzzer,address,undefined \
	        -o $(BUILD)/fuzz_$$t tests/fuzz/fuzz_$$t.c $(LIB_OBJS) $(LIBS) \
	        || exit 1; \
	    rm -rf $(BUILD)/corpus-$$t; mkdir -p $(BUILD)/corpus-$$t; \
	    cp tests/fuzz/corpus/$$t/* $(BUILD)/corpus-$$t/; \
	    echo "  FUZZ    $$t for $(FUZZ_SECONDS)s"; \
	    $(BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	        -artifact_prefix=$(BUILD)/ -print_final_stats=1 \
	        $(BUILD)/corpus-$$t > $(BUILD)/fuzz-$$t.log 2>&1; \
	    rc=$$?; tail -n 3 $(BUILD)/fuzz-$$t.log; \
	    [ $$rc -eq 0 ] || exit 1; \
	done

# A full demo build under valgrind: no errors, no leaks; and the KPI, OKR
# and report fixtures (two threads, check-in files, both kinds of sheets;
# the report fixture also has every embed, card and OKR view).
VALGRIND := valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
	    --errors-for-leak-kinds=definite,indirect --error-exitcode=1 \
	    --num-callers=40
valgrind: $(BIN)
	$(Q)rm -rf $(BUILD)/valgrind-site $(BUILD)/.valgrind-site.opsbook-cache
	$(Q)$(VALGRIND) $(BIN) build --out $(BUILD)/valgrind-site \
	    --as-of $(DEMO_AS_OF)
	@# again into the same OUT: the incremental path (caches read, files kept)
	$(Q)$(VALGRIND) $(BIN) build -q --out $(BUILD)/valgrind-site \
	    --as-of $(DEMO_AS_OF)
	$(Q)$(VALGRIND) $(BIN) -C tests/sites/kpi build -q -j2 \
	    --out $(abspath $(BUILD))/valgrind-kpi --as-of 2026-11-20
	$(Q)$(VALGRIND) $(BIN) -C tests/sites/okr okrs --json -j2 \
	    --as-of 2026-11-20 >/dev/null
	$(Q)$(VALGRIND) $(BIN) -C tests/sites/xlsx build -q -j2 \
	    --out $(abspath $(BUILD))/valgrind-xlsx --as-of 2026-11-20

# Times opsbook beside Hugo, DuckDB, pandas, matplotlib and XlsxWriter on a
# generated workload (the shared harness; it installs what it needs) and
# prints the medians and ratios: `make bench SIZE=small|medium|large`.
BENCH ?= ../shared/bench/run
SIZE  ?= medium
bench: $(BIN)
	@test -x $(BENCH) || { echo "make bench: no harness at $(BENCH) (set BENCH=)"; exit 2; }
	$(BENCH) gen $(SIZE)
	$(BENCH) compare $(SIZE) $(abspath $(BIN))

# The README's main command: build the repository's own demo site. Its
# data is a fixed export that ends on DEMO_AS_OF (tools/make_demo_data.py),
# so the build is pinned there: built "as of yesterday" on a later day, the
# latest periods would have no data and every export would be stale.
DEMO_AS_OF ?= 2026-11-20
demo: $(BIN)
	$(Q)$(BIN) build --as-of $(DEMO_AS_OF)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/opsbook

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/opsbook

# Functions the house style bans (unbounded copies, unchecked conversions).
lint:
	$(Q)! grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets)[[:space:]]*\(' \
	    src/*.c include/opsbook/*.h tests/unit/*.c

format:
	clang-format -i src/*.c include/opsbook/*.h tests/unit/*.c tests/unit/*.h \
	    tests/fuzz/*.c tests/tools/faultinject.c

format-check:
	clang-format --dry-run --Werror src/*.c include/opsbook/*.h \
	    tests/unit/*.c tests/unit/*.h tests/fuzz/*.c tests/tools/faultinject.c

clean:
	rm -rf build build-asan build-cov build-fuzz opsbook

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/tests/*.d)
