#!/bin/sh
# Checks the Debian packages twinpy builds with and installs the missing ones.
# As root it runs apt-get; otherwise it prints the exact command and fails.
# Usage: cmake/deps.sh [bench] [extra-package ...]
#   bench: also what the comparison benchmark needs (bench/run is a python3
#   script; gnuplot draws its plots)
set -eu
# libclang-rt-dev: clang's sanitizer and libFuzzer runtimes (the fuzz and
# nogil-tsan presets).
need="cmake make gcc clang libclang-rt-dev libmimalloc-dev libcriterion-dev libgmp-dev zlib1g-dev pkg-config"
bench="python3 gnuplot-nox"
for arg in "$@"; do
  case $arg in
    bench) need="$need $bench" ;;
    *) need="$need $arg" ;;
  esac
done
missing=""
for pkg in $need; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $pkg"
  fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "deps: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $missing >/dev/null
else
  echo "deps: missing Debian packages:$missing" >&2
  echo "deps: run: sudo apt-get install -y$missing" >&2
  exit 1
fi
