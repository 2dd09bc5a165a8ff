# Cellblock build.  `make` builds the kernel, user programs, initrd and ISO;
# see README.md for the other targets.  Every source file below the source
# folders is picked up by wildcard: add a file, and it is built.

CROSS ?= i686-linux-gnu-
CC := $(CROSS)gcc
LD := $(CROSS)ld
AR := $(CROSS)ar
NM := $(CROSS)nm
STRIP := $(CROSS)strip
NASM ?= nasm
HOSTCC ?= gcc
PYTHON ?= python3
QEMU ?= qemu-system-i386
B := build
# `make V=1` shows full commands.
ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif

# Flags shared by kernel and user code: 32-bit, freestanding, no libc.
COMMON_CFLAGS := -m32 -std=gnu11 -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-builtin -fno-omit-frame-pointer -O2 -g \
	-Wall -Wextra -Werror -Wno-unused-parameter -Iinclude -MMD -MP
KCFLAGS := $(COMMON_CFLAGS) -Iarch/x86/include -mgeneral-regs-only -mno-red-zone -DKERNEL
UCFLAGS := $(COMMON_CFLAGS) -Iuser/lib/include -mgeneral-regs-only -fno-asynchronous-unwind-tables
# libgcc (64-bit division helpers).  Asked for when the first link runs,
# not when make reads this file: on a fresh machine the cross compiler only
# exists once `deps` has installed it.  Every rule that compiles or links
# waits for `deps` (order-only).
LIBGCC = $(eval LIBGCC := $$(or $$(shell $$(CC) -m32 -print-libgcc-file-name 2>/dev/null),$$(error $$(CC) cannot name its libgcc; run tools/install-deps)))$(LIBGCC)

# ---- kernel -------------------------------------------------------------
KSRC_C := $(wildcard arch/x86/*.c kernel/*.c kernel/*/*.c)
KSRC_S := $(wildcard boot/*.asm arch/x86/*.asm)
KOBJS := $(patsubst %.c,$(B)/k/%.o,$(KSRC_C)) $(patsubst %.asm,$(B)/k/%.o,$(KSRC_S))

# ---- user ---------------------------------------------------------------
# The libc also builds the kernel's pure string functions (one copy each).
ULIB_C := $(wildcard user/lib/*.c) kernel/lib/string.c kernel/lib/crc32.c
ULIB_S := $(wildcard user/lib/*.asm)
ULIB_OBJS := $(patsubst %.c,$(B)/u/%.o,$(ULIB_C)) $(patsubst %.asm,$(B)/u/%.o,$(ULIB_S))
# Two lists of programs: user/bin/ holds the commands a person runs
# (installed as /bin/NAME), user/test/ the test and benchmark programs
# (installed as /test/NAME).  A program is either one file, DIR/NAME.c, or
# a folder, DIR/NAME/, whose .c files are linked together.
progs = $(sort $(patsubst user/$(1)/%.c,%,$(wildcard user/$(1)/*.c)) \
	$(patsubst user/$(1)/%/,%,$(dir $(wildcard user/$(1)/*/*.c))))
progobjs = $(patsubst %.c,$(B)/u/%.o,$(wildcard user/$(1)/$(2).c user/$(1)/$(2)/*.c))
UPROGS := $(call progs,bin)
TPROGS := $(call progs,test)
UBINS := $(addprefix $(B)/initrd/bin/,$(UPROGS)) $(addprefix $(B)/initrd/test/,$(TPROGS))

.SECONDARY:
.PHONY: all deps run run-kernel test unit bench gdb clean format lint compdb demo-migrate demo-live-migrate
all: deps $(B)/cellblock.elf $(B)/initrd.cpio $(B)/cellblock.iso $(B)/ckptdump

# Checks the host tools once per make; installs what is missing when root.
deps:
	@tools/install-deps

$(B)/k/%.o: %.c | deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(B)/k/%.o: %.asm | deps
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -g -F dwarf -Iinclude/ $< -o $@

# Two-pass link for the symbolised backtrace: the symbol table goes in the
# last section, so filling it in does not move any code.
$(B)/cellblock.elf: $(KOBJS) boot/kernel.ld tools/mksyms.py | deps
	@mkdir -p $(B)
	$(PYTHON) tools/mksyms.py /dev/null $(B)/ksyms0.asm
	$(NASM) -f elf32 $(B)/ksyms0.asm -o $(B)/ksyms0.o
	$(LD) -m elf_i386 -z noexecstack -T boot/kernel.ld -o $(B)/cellblock.pass1 $(KOBJS) $(B)/ksyms0.o $(LIBGCC)
	$(NM) -n $(B)/cellblock.pass1 > $(B)/cellblock.nm
	$(PYTHON) tools/mksyms.py $(B)/cellblock.nm $(B)/ksyms.asm
	$(NASM) -f elf32 $(B)/ksyms.asm -o $(B)/ksyms.o
	$(LD) -m elf_i386 -z noexecstack -T boot/kernel.ld -o $@ $(KOBJS) $(B)/ksyms.o $(LIBGCC)

$(B)/u/%.o: %.c | deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@

$(B)/u/kernel/lib/string.o: UCFLAGS += -DUSER_LIBC

$(B)/u/%.o: %.asm | deps
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -Iinclude/ $< -o $@

$(B)/libc.a: $(ULIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

# Programs keep their symbols in build/u/bin/ and build/u/test/ (for gdb);
# the initrd gets stripped copies.  Every program links the same libc.
ULINK = $(LD) -m elf_i386 -z noexecstack -T user/user.ld -o $@ \
	$(B)/u/user/lib/crt0.o $(filter %.o,$^) $(B)/libc.a $(LIBGCC)
.SECONDEXPANSION:
$(B)/u/bin/%: $$(call progobjs,bin,$$*) $(B)/libc.a user/user.ld | deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(ULINK)

$(B)/u/test/%: $$(call progobjs,test,$$*) $(B)/libc.a user/user.ld | deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(ULINK)

$(B)/initrd/bin/%: $(B)/u/bin/%
	@mkdir -p $(dir $@)
	$(Q)$(STRIP) -o $@ $<

$(B)/initrd/test/%: $(B)/u/test/%
	@mkdir -p $(dir $@)
	$(Q)$(STRIP) -o $@ $<

# The initrd is a cpio newc archive made by the standard cpio tool.  A
# program that left its list (renamed, moved) is dropped from the tree.
$(B)/initrd.cpio: $(UBINS) $(wildcard user/root/*)
	@mkdir -p $(B)/initrd/tmp $(B)/initrd/etc
	@for f in $(B)/initrd/bin/* $(B)/initrd/test/*; do \
		case " $(UBINS) " in *" $$f "*) ;; *) rm -rf "$$f" ;; esac; done
	@if [ -d user/root ]; then cp -r user/root/. $(B)/initrd/; fi
	cd $(B)/initrd && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet > ../initrd.cpio

$(B)/cellblock.iso: $(B)/cellblock.elf $(B)/initrd.cpio iso/grub.cfg
	@mkdir -p $(B)/isodir/boot/grub
	cp $(B)/cellblock.elf $(B)/initrd.cpio $(B)/isodir/boot/
	cp iso/grub.cfg $(B)/isodir/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(B)/isodir 2>$(B)/grub-mkrescue.log || { cat $(B)/grub-mkrescue.log; exit 1; }

# The host's checkpoint image dumper, built from the kernel's own codec.
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -Iarch/x86/include
# The image codec as host tools build it: encoder/decoder, validator and
# the register record's checks.
CKPT_HOST_SRC := kernel/lib/crc32.c kernel/lib/ckpt_codec.c \
	kernel/lib/ckpt_check.c kernel/lib/ckpt_round.c kernel/lib/sort.c \
	arch/x86/ckpt_regs.c
$(B)/ckptdump: tools/ckptdump.c $(CKPT_HOST_SRC) kernel/lib/ckpt_wire.h include/kern/ckpt_codec.h include/uapi/ckpt_image.h
	@mkdir -p $(B)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ tools/ckptdump.c $(CKPT_HOST_SRC)

# Boots the ISO through GRUB; the serial console is this terminal.
run: all
	@tools/qemu-run --iso $(B)/cellblock.iso $(if $(APPEND),--append "$(APPEND)")

# Boots the ELF directly (faster; skips GRUB).
run-kernel: all
	@tools/qemu-run --kernel $(B)/cellblock.elf --initrd $(B)/initrd.cpio $(if $(APPEND),--append "$(APPEND)")

# `make test` runs host unit tests, then every boot test; `make test T=NAME`
# runs the tests whose name contains NAME; `make test TAGS=ckpt,fuzz` the
# tests having any of those tags.  Writes build/test-results.xml (JUnit).
test: all
	@$(PYTHON) tests/run.py $(if $(T),-k $(T)) $(if $(TAGS),--tags $(TAGS)) $(if $(J),-j $(J))

# Host unit tests only (tests/unit/*.c); no QEMU.
unit:
	@$(PYTHON) tests/run.py -k unit:

bench: all
	@$(PYTHON) tests/bench.py

gdb: all
	@tools/qemu-gdb

demo-migrate: all
	@$(PYTHON) tests/demo_migrate.py

demo-live-migrate: all
	@$(PYTHON) tests/demo_live_migrate.py

# `make format` applies .clang-format to every tracked C file.  `make lint`
# changes nothing and fails on any violation of the rules the tools check
# (clang-format, cppcheck, file and function sizes): see tools/lint.
format:
	clang-format -i $$(git ls-files '*.c' '*.h')

lint:
	@tools/install-deps lint
	@PYTHON=$(PYTHON) tools/lint

# compile_commands.json for editors (clangd and others), from the commands
# `make -n` prints and the unit tests' flags; see tools/compdb.
compdb:
	@$(PYTHON) tools/compdb > compile_commands.json.tmp
	@mv compile_commands.json.tmp compile_commands.json
	@echo "wrote compile_commands.json"

# `make docs` redraws every picture in docs/ from its text source:
# docs/NAME.txt with tools/mkdiagram.py, docs/NAME.dump (a /proc dump or
# ckptdump output) with tools/ctrtree; host:diagrams checks that they agree.
.PHONY: docs
docs:
	@set -e; for s in docs/*.txt; do \
		echo "  DRAW $${s%.txt}.svg"; \
		$(PYTHON) tools/mkdiagram.py $$s $${s%.txt}.svg; done
	@set -e; for s in docs/*.dump; do \
		echo "  DRAW $${s%.dump}.svg"; \
		$(PYTHON) tools/ctrtree $$s $${s%.dump}.svg; done

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# ---- host fuzzing and soak (not part of `make test`) ----------------------
# `make fuzz FUZZ_SECONDS=N`: each libFuzzer target in tests/fuzz/ for N
# seconds, with ASan and UBSan (tests/fuzz/run.py).  `make soak
# SOAK_SECONDS=N`: the in-guest fuzzers and checkpoint cycles (tests/soak.py).
FUZZ_SECONDS ?= 60
SOAK_SECONDS ?= 600
FUZZ_CC ?= $(firstword $(shell command -v clang-14 clang 2>/dev/null) clang)
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Iinclude -Iarch/x86/include -Itests/fuzz -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
.PHONY: fuzz fuzz-build soak

$(B)/fuzz/fuzz_ckpt: tests/fuzz/fuzz_ckpt.c tests/fuzz/fuzz_require.h $(CKPT_HOST_SRC) include/kern/ckpt_codec.h include/uapi/ckpt_image.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_ckpt.c $(CKPT_HOST_SRC)

$(B)/fuzz/fuzz_elf: tests/fuzz/fuzz_elf.c tests/fuzz/fuzz_require.h kernel/lib/elf_check.c include/kern/elf_check.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_elf.c kernel/lib/elf_check.c

# Seeds: valid images from the kernel's encoder, the real user programs.
$(B)/fuzz/ckpt_seeds: tests/fuzz/ckpt_seeds.c tests/fuzz/fuzz_ckpt.c tests/unit/ckpt_model.h $(CKPT_HOST_SRC)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Itests/fuzz -Itests/unit -o $@ tests/fuzz/ckpt_seeds.c $(CKPT_HOST_SRC)

fuzz-build: $(B)/fuzz/fuzz_ckpt $(B)/fuzz/fuzz_elf $(B)/fuzz/ckpt_seeds $(UBINS)
	@mkdir -p $(B)/fuzz/seeds/ckpt $(B)/fuzz/seeds/elf
	$(B)/fuzz/ckpt_seeds $(B)/fuzz/seeds/ckpt
	cp $(B)/initrd/bin/true $(B)/initrd/bin/echo $(B)/initrd/bin/sh $(B)/fuzz/seeds/elf/

fuzz:
	@tools/install-deps fuzz
	@$(MAKE) fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) $(PYTHON) tests/fuzz/run.py

soak: all
	@SOAK_SECONDS=$(SOAK_SECONDS) $(PYTHON) tests/soak.py
