#!/usr/bin/env bash
# Install every Debian package splitsafe needs to build, test and analyse a
# kernel.  Idempotent: packages already present are skipped by apt.
set -euo pipefail

pkgs=(
	# build: libclang 19 (the default) and 14 (the oldest supported; CI
	# runs the suite against both)
	cmake make gcc pkg-config
	libclang-19-dev llvm-19 clang-19 lld-19
	libclang-14-dev llvm-14 clang
	# the ASan+UBSan build and its fuzz targets: clang 14 (the package
	# clang) and its sanitizer and libFuzzer runtimes
	libclang-rt-14-dev
	libyaml-dev libjansson-dev libsqlite3-dev libxxhash-dev
	# tests
	python3 python3-jsonschema coccinelle graphviz git pre-commit procps
	# install and packaging tests: the man page shown by man -l, a Debian
	# package built by dpkg-buildpackage and checked by lintian
	go-md2man man-db groff-base debhelper dpkg-dev fakeroot lintian
	# real-kernel test: source and an arm64 LLVM=-19 build of it
	linux-source-6.12 xz-utils flex bison bc libssl-dev libelf-dev cpio kmod rsync
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
