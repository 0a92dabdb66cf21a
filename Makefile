# SPDX-License-Identifier: GPL-2.0
#
# pmesh: a serverless peer-channel transport for Linux.
#
#   make          build pmesh.ko, the pmesh tool, the example programs and
#                 the benchmark programs: needs only the kernel headers
#   make check    install what is missing, build, run every test in a guest
#   make check-debug  the same tests on a debug kernel (KASAN, lockdep,
#                 kmemleak...), built once from linux-source and kept
#   make debug-kernel  only build that kernel
#   PROGRAMS="socket_test ..." runs only those test programs, in either check
#   make demo     install what is missing, build, show a mesh at work in a guest
#   make bench    the benchmarks, in a guest
#   make lint     checkpatch --strict, sparse and W=1 on the module; the
#                 markdown pages' links
#   make fuzz     libFuzzer on the parsers and the window, FUZZ_SECONDS each
#   make sim      the overlay simulator at 1,000 and 10,000 nodes
#   make genl     regenerate the netlink code from the YNL spec
#   make deps     install from Debian's archive what the targets above need
#   make install  install the module and the tool on this machine
#   make clean    remove what the build made
#   make help     this list
#
# KVER is the kernel to build for: the running one when its headers are
# installed, Debian's 6.12 otherwise. The targets that boot the test guest
# or use Debian's kernel source always take Debian's: the guest boots that
# kernel, and the generator and checkpatch come from its source package.
# "make KVER=..." for another.

# The Debian kernel: the one place its version is written (scripts/deps.sh
# gets it as an argument, selftests/guest/run.sh from the environment, or
# from this line when run by hand).
DEBIAN_KVER := 6.12.117+deb12-amd64
DEBIAN_GOALS := check check-debug debug-kernel demo bench lint genl deps
ifeq ($(origin KVER),undefined)
ifneq ($(filter $(DEBIAN_GOALS),$(MAKECMDGOALS)),)
KVER := $(DEBIAN_KVER)
else
KVER := $(shell v=$$(uname -r); \
	if [ -d /lib/modules/$$v/build ]; then echo $$v; else echo $(DEBIAN_KVER); fi)
endif
endif
KMAJ := $(word 1,$(subst ., ,$(KVER))).$(word 2,$(subst ., ,$(KVER)))
KDIR ?= /lib/modules/$(KVER)/build
KSRC_TAR ?= /usr/src/linux-source-$(KMAJ).tar.xz
BUILD := $(CURDIR)/build
KSRC := $(BUILD)/linux-source-$(KMAJ)
PREFIX ?= /usr/local

export KVER KMAJ KSRC

all: module tool

help:
	@sed -n '/^#   make /,/^#$$/s/^#   //p' $(firstword $(MAKEFILE_LIST))

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tool:
	$(MAKE) -C tools/lib
	$(MAKE) -C tools/sim
	$(MAKE) -C tools/pmesh
	$(MAKE) -C tools/bench
	$(MAKE) -C tools/apps

selftests: ksrc
	$(MAKE) -C selftests

ksrc: $(KSRC)/.stamp

$(KSRC)/.stamp: scripts/ksrc.sh
	scripts/ksrc.sh $(KSRC_TAR) $(BUILD)

deps:
	scripts/deps.sh $(KVER) $(KMAJ)

genl: ksrc
	scripts/genl.sh $(KSRC)

check: deps
	$(MAKE) all selftests
	scripts/check.sh

check-debug: deps debug-kernel
	$(MAKE) tool selftests
	scripts/check.sh --debug $(BUILD)/debug-kernel

debug-kernel: deps
	scripts/debug-kernel.sh $(KSRC_TAR) $(BUILD)/debug-kernel

lint: deps
	$(MAKE) ksrc
	scripts/lint.sh $(KDIR)
	scripts/mdlinks.py

fuzz:
	$(MAKE) -C selftests/fuzz run

sim:
	$(MAKE) -C tools/sim
	tools/sim/sim -n 1000
	tools/sim/sim -n 10000

bench: deps
	$(MAKE) all
	selftests/guest/run.sh -t 1800 tools/bench/bench.sh

# The guest's last words follow the demo's summary line: say it again last.
demo: deps
	$(MAKE) all
	@selftests/guest/run.sh -t 600 -o $(BUILD)/guest/out-demo tools/apps/demo.sh; \
	status=$$?; echo; \
	grep -a '^demo: ' $(BUILD)/guest/out-demo/console.log | tail -n 1 | grep . || \
		echo "demo: FAILED: the guest stopped before the demo ended"; \
	exit $$status

install: module tool
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra modules_install
	depmod -a $(KVER)
	install -D -m 0755 tools/pmesh/pmesh $(DESTDIR)$(PREFIX)/sbin/pmesh
	install -D -m 0644 uapi/linux/pmesh.h $(DESTDIR)$(PREFIX)/include/linux/pmesh.h
	install -D -m 0644 uapi/linux/pmesh_netlink.h \
		$(DESTDIR)$(PREFIX)/include/linux/pmesh_netlink.h

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/lib clean
	$(MAKE) -C tools/pmesh clean
	$(MAKE) -C tools/bench clean
	$(MAKE) -C tools/apps clean
	$(MAKE) -C tools/sim clean
	$(MAKE) -C selftests clean
	rm -rf $(BUILD)

.PHONY: all help module tool selftests ksrc deps genl check check-debug debug-kernel lint sim \
	demo bench fuzz install clean
