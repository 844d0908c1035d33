# netns — build, test, install. `make help` lists the targets.
PREFIX ?= /usr/local
DESTDIR ?=
WERROR ?= 1
SANITIZE ?= 0
# FUZZ=1: clang with libFuzzer instrumentation in build-fuzz/ (`make fuzz`).
FUZZ ?= 0
# FAULT=1: a test-only binary in build-fault/ that honours NNS_FAULT_AT
# (see src/util/fault.h); normal builds contain no trace of it.
FAULT ?= 0
FUZZ_SECONDS ?= 60

PKGS := libmnl libfyaml jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS))

CC ?= cc
WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wno-format-truncation -Wstrict-prototypes -Wvla -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN += -Werror
endif
ifeq ($(FUZZ),1)
CC := clang
WARN += -Wno-unknown-warning-option -Wno-error # clang warns differently from gcc
BUILD ?= build-fuzz
OPT := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
LDSAN := -fsanitize=address,undefined
else ifeq ($(FAULT),1)
BUILD ?= build-fault
OPT := -O1 -g -DNNS_FAULT_INJECTION
LDSAN :=
else ifeq ($(SANITIZE),1)
BUILD ?= build-san
OPT := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDSAN := -fsanitize=address,undefined
else
BUILD ?= build
OPT := -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong
LDSAN :=
endif
CFLAGS ?=
CFLAGS += -std=c11 -D_GNU_SOURCE $(WARN) $(OPT) -fPIC -Iinclude $(PKG_CFLAGS) -MMD -MP
LDFLAGS += $(LDSAN) -Wl,-z,relro,-z,now

LIB_SRC := $(wildcard src/util/*.c src/nl/*.c src/ns/*.c src/net/*.c src/topo/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
UNIT_SRC := $(wildcard tests/unit/*.c)
TOOL_SRC := $(wildcard tests/tools/*.c)
BENCH_SRC := $(wildcard bench/*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/tools/%)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
SOVER := 0

all: $(BUILD)/netns $(BUILD)/libnetns.a $(BUILD)/libnetns.so

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/libnetns.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/libnetns.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libnetns.so.$(SOVER) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/netns: $(CLI_OBJ) $(BUILD)/libnetns.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libnetns.a $(PKG_LIBS) -lpthread

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libnetns.a $(CLI_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(filter-out $(BUILD)/src/cli/main.o,$(CLI_OBJ)) \
		$(BUILD)/libnetns.a $(PKG_LIBS) $(shell pkg-config --libs cmocka) -lpthread

# Test drivers: call one library function, for the integration tests.
$(BUILD)/tests/tools/%: tests/tools/%.c $(BUILD)/libnetns.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(BUILD)/libnetns.a $(PKG_LIBS)

# Benchmarks (bench/wiring, bench/lifecycle and bench/topo.py drive them): the reference programs use libmnl only.
$(BUILD)/bench/%: bench/%.c $(BUILD)/libnetns.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(BUILD)/libnetns.a $(PKG_LIBS)

# The team's reference program, compiled as its header says (no house flags).
$(BUILD)/bench/floor-chain: bench/floor-chain.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -o $@ $< $(shell pkg-config --cflags --libs libmnl)

bench-bin: $(BENCH_BIN) $(BUILD)/netns

# The topology benchmark (bench/topo.py --help): root, about 10 minutes.
bench: bench-bin
	BUILD=$(abspath $(BUILD)) bench/topo.py $(BENCH_ARGS)

# libFuzzer harnesses (FUZZ=1 builds them); the unit test test_fuzz_replay
# replays their seed corpora and regression inputs in every `make check`.
$(BUILD)/fuzz/%: tests/fuzz/%.c $(BUILD)/libnetns.a $(CLI_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc -fsanitize=fuzzer $(LDFLAGS) -o $@ $< \
		$(filter-out $(BUILD)/src/cli/main.o,$(CLI_OBJ)) $(BUILD)/libnetns.a $(PKG_LIBS) -lpthread

fuzz-build: $(FUZZ_BIN)

# Each harness for FUZZ_SECONDS on its seeds (tests/fuzz/NAME/) plus the
# corpus it grew before (build-fuzz/corpus/NAME/).
fuzz:
	$(MAKE) FUZZ=1 fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run build-fuzz

# The fault-injection binary (FAULT=1) for tests/integration/6x-faults.bats.
fault:
	$(MAKE) FAULT=1 build-fault/netns

# Root integration tests need the real kernel; unit tests run anywhere.
check: all $(UNIT_BIN) $(TOOL_BIN)
	NETNS=$(abspath $(BUILD)/netns) BUILD=$(abspath $(BUILD)) tests/run-all

unit: $(UNIT_BIN)
	NETNS=$(abspath $(BUILD)/netns) BUILD=$(abspath $(BUILD)) tests/run-all unit

valgrind: all $(UNIT_BIN)
	VALGRIND=1 NETNS=$(abspath $(BUILD)/netns) BUILD=$(abspath $(BUILD)) tests/run-all unit

install: all
	install -Dm755 $(BUILD)/netns $(DESTDIR)$(PREFIX)/bin/netns
	install -Dm644 $(BUILD)/libnetns.a $(DESTDIR)$(PREFIX)/lib/libnetns.a
	install -Dm755 $(BUILD)/libnetns.so $(DESTDIR)$(PREFIX)/lib/libnetns.so.$(SOVER)
	ln -sf libnetns.so.$(SOVER) $(DESTDIR)$(PREFIX)/lib/libnetns.so
	install -Dm644 include/netns.h $(DESTDIR)$(PREFIX)/include/netns.h
	install -Dm644 man/netns.8 $(DESTDIR)$(PREFIX)/share/man/man8/netns.8
	@mkdir -p $(DESTDIR)$(PREFIX)/lib/pkgconfig
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(shell sed -n 's/.*NNS_VERSION "\(.*\)"/\1/p' include/netns.h)|' \
		-e 's|@REQUIRES@|$(PKGS)|' libnetns.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/libnetns.pc

lint:
	clang-format --dry-run --Werror $(LIB_SRC) $(CLI_SRC) $(wildcard src/*/*.h) include/netns.h

clean:
	rm -rf build build-san build-fuzz build-fault

help:
	@echo "make [all|check|unit|valgrind|install|lint|clean|bench|bench-bin|fuzz|fault]"
	@echo "     [SANITIZE=1] [WERROR=0] [FUZZ_SECONDS=60] [BENCH_ARGS=...]"

.PHONY: all check unit valgrind install lint clean help bench bench-bin fuzz fuzz-build fault
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
