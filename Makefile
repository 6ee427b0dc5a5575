# kmemlab - an interactive explorer of the Linux 2.6.20 memory manager.
# Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
#
#   make            build build/kmemlab and build/libkmem.a
#   make run        install missing dependencies, build, start the REPL
#   make test       install missing dependencies, build, run every test
#   make asan       the whole suite under AddressSanitizer + UBSan
#   make bench      build optimised and print the benchmark figures
#   make fuzz       libFuzzer target over the command executor (clang)
#   make install    PREFIX=/usr/local DESTDIR= ; make uninstall
#                   (binary, man pages, labs in share/kmemlab/labs)
#
# User CFLAGS/LDFLAGS stay overridable; the flags the code needs are kept
# apart in KM_CFLAGS.

CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
PKG_CONFIG ?= pkg-config

KM_WARN   = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-unused-parameter -Werror
KM_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(KM_WARN) \
            -Isrc/core -Isrc/cli -Isrc/tui -MMD -MP

CYAML_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcyaml yaml-0.1 2>/dev/null)
CYAML_LIBS   := $(shell $(PKG_CONFIG) --libs libcyaml yaml-0.1 2>/dev/null || echo -lcyaml -lyaml)
RL_CFLAGS    := $(shell $(PKG_CONFIG) --cflags readline 2>/dev/null)
RL_LIBS      := $(shell $(PKG_CONFIG) --libs readline 2>/dev/null || echo -lreadline)
CURSES_CFLAGS:= $(shell $(PKG_CONFIG) --cflags ncursesw 2>/dev/null)
CURSES_LIBS  := $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || echo -lncursesw)
CMOCKA_CFLAGS:= $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS  := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

CORE_SRC := $(sort $(wildcard src/core/*.c))
CLI_SRC  := $(sort $(filter-out src/cli/main.c,$(wildcard src/cli/*.c)))
TUI_SRC  := $(sort $(wildcard src/tui/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ  := $(TUI_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/src/cli/main.o
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

LIBKMEM  := $(BUILD)/libkmem.a
LIBCLI   := $(BUILD)/libkmemcli.a
KMEMLAB  := $(BUILD)/kmemlab

.PHONY: all run test check-deps deps unit golden asan bench fuzz install \
        uninstall clean golden-update lint-man

all: $(KMEMLAB)

$(BUILD)/src/core/%.o: src/core/%.c
	@mkdir -p $(@D)
	$(CC) $(KM_CFLAGS) $(CYAML_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/src/cli/%.o: src/cli/%.c
	@mkdir -p $(@D)
	$(CC) $(KM_CFLAGS) $(RL_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/src/tui/%.o: src/tui/%.c
	@mkdir -p $(@D)
	$(CC) $(KM_CFLAGS) -Isrc/tui $(CURSES_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(KM_CFLAGS) $(CMOCKA_CFLAGS) $(CFLAGS) -c $< -o $@

# the runner finds labs beside the binary first; this is the fallback
$(BUILD)/src/cli/lab.o: KM_CFLAGS += -DKMEMLAB_LABDIR='"$(PREFIX)/share/kmemlab/labs"'

$(LIBKMEM): $(CORE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(LIBCLI): $(CLI_OBJ) $(TUI_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(KMEMLAB): $(MAIN_OBJ) $(LIBCLI) $(LIBKMEM)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(RL_LIBS) $(CURSES_LIBS) $(CYAML_LIBS) -lm

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(LIBCLI) $(LIBKMEM)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(RL_LIBS) $(CURSES_LIBS) $(CYAML_LIBS) -lm

deps:
	@sh scripts/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	./$(KMEMLAB)

unit: $(UNIT_BIN)

test: deps
	@$(MAKE) --no-print-directory all unit
	@sh tests/run.sh $(BUILD)

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan CC=$${ASAN_CC:-cc} \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" all unit
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  KMEMLAB_ASAN=1 sh tests/run.sh build-asan

golden-update: all
	@sh tests/golden/run.sh $(BUILD) --update

lint-man:
	@for f in man/*.[1-9]; do mandoc -Tlint -W warning $$f || exit 1; done

BENCH_SRC := $(sort $(wildcard bench/*.c))
bench:
	@$(MAKE) --no-print-directory BUILD=build-bench CFLAGS="-O2 -g -DNDEBUG" all
	@mkdir -p build-bench/bench
	$(CC) $(KM_CFLAGS) -Ibench -O2 -g -DNDEBUG -o build-bench/bench/kmem-bench $(BENCH_SRC) \
	  build-bench/libkmemcli.a build-bench/libkmem.a $(RL_LIBS) $(CURSES_LIBS) $(CYAML_LIBS) -lm
	@./build-bench/bench/kmem-bench build-bench

FUZZ_CC ?= clang
fuzz:
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=$(FUZZ_CC) \
	  CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined" all
	$(FUZZ_CC) $(KM_CFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined \
	  -o build-fuzz/fuzz-commands tests/fuzz/fuzz_commands.c \
	  build-fuzz/libkmemcli.a build-fuzz/libkmem.a $(RL_LIBS) $(CURSES_LIBS) $(CYAML_LIBS) -lm
	@mkdir -p build-fuzz/corpus
	./build-fuzz/fuzz-commands -max_total_time=$${FUZZ_SECONDS:-60} \
	  -dict=tests/fuzz/commands.dict build-fuzz/corpus tests/fuzz/seeds

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man7
	install -m 755 $(KMEMLAB) $(DESTDIR)$(PREFIX)/bin/kmemlab
	for f in man/*.1; do install -m 644 $$f $(DESTDIR)$(PREFIX)/share/man/man1/; done
	for f in man/*.5; do install -m 644 $$f $(DESTDIR)$(PREFIX)/share/man/man5/; done
	-for f in man/*.7; do [ -f $$f ] && install -m 644 $$f $(DESTDIR)$(PREFIX)/share/man/man7/; done
	for d in scripts/labs/*/; do \
	  l=$$(basename $$d); \
	  install -d $(DESTDIR)$(PREFIX)/share/kmemlab/labs/$$l; \
	  for f in $$d*; do install -m 644 $$f $(DESTDIR)$(PREFIX)/share/kmemlab/labs/$$l/; done; \
	done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/kmemlab
	for f in man/*.1; do rm -f $(DESTDIR)$(PREFIX)/share/man/man1/$${f#man/}; done
	for f in man/*.5; do rm -f $(DESTDIR)$(PREFIX)/share/man/man5/$${f#man/}; done
	for f in man/*.7; do rm -f $(DESTDIR)$(PREFIX)/share/man/man7/$${f#man/}; done
	rm -rf $(DESTDIR)$(PREFIX)/share/kmemlab/labs
	-rmdir $(DESTDIR)$(PREFIX)/share/kmemlab

clean:
	rm -rf build build-asan build-bench build-fuzz

-include $(CORE_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TUI_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) \
         $(UNIT_BIN:=.d)
