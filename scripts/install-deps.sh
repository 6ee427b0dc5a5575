#!/bin/sh
# install-deps.sh - make sure everything kmemlab builds and tests with is here.
# Idempotent: checks first (pkg-config, command -v), installs only what is
# missing, with apt-get as root or through sudo.  When it cannot install, it
# says exactly which Debian packages are needed and exits 1.
# Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
set -u

missing=""
need_pkg() {     # need_pkg PKGCONFIG-NAME DEBIAN-PACKAGE
	pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"
}
need_cmd() {     # need_cmd COMMAND DEBIAN-PACKAGE
	command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}

need_cmd cc         gcc
need_cmd make       make
need_cmd pkg-config pkg-config
if command -v pkg-config >/dev/null 2>&1; then
	need_pkg ncursesw  libncurses-dev
	need_pkg readline  libreadline-dev
	need_pkg yaml-0.1  libyaml-dev
	need_pkg libcyaml  libcyaml-dev
	need_pkg cmocka    libcmocka-dev
else
	missing="$missing libncurses-dev libreadline-dev libyaml-dev libcyaml-dev libcmocka-dev"
fi
need_cmd mandoc mandoc
need_cmd tmux   tmux
# make fuzz: clang with its libFuzzer runtime
need_cmd clang  clang
if command -v clang >/dev/null 2>&1; then
	rt=$(clang -print-resource-dir 2>/dev/null)/lib/linux/libclang_rt.fuzzer-x86_64.a
	[ -f "$rt" ] || missing="$missing libclang-rt-14-dev"
fi

[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing" >&2
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo -n"
else
	echo "install-deps: cannot install as $(id -un); please run as root:" >&2
	echo "  apt-get install$missing" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-deps: no apt-get here; install these Debian packages (or your system's equivalents):$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! $SUDO apt-get install -y -q $missing >/dev/null 2>&1; then
	$SUDO apt-get update -q >/dev/null 2>&1
	# shellcheck disable=SC2086
	if ! $SUDO apt-get install -y -q $missing; then
		echo "install-deps: apt-get failed; install by hand: apt-get install$missing" >&2
		exit 1
	fi
fi
echo "install-deps: done" >&2
