#!/usr/bin/env bash
# Check the Go services of the demo workspace: gofmt and go vet must be clean.
#
# Usage (from the repository root): tests/python/check_demo_go.sh [examples/classroom]
#
# The services use only the standard library (their graph/generated_stub.go
# stands in for gqlgen's generated code), so this runs offline.
set -uo pipefail

root="${1:-examples/classroom}"
go="${GO:-go}"
export GOFLAGS=-mod=mod GOPROXY=off GOWORK=off

status=0
found=0
for mod in "$root"/services/*/go.mod; do
  [ -e "$mod" ] || continue
  found=$((found + 1))
  dir="$(dirname "$mod")"
  ok=1

  unformatted="$(cd "$dir" && gofmt -l . 2>&1)"
  if [ -n "$unformatted" ]; then
    echo "FAIL $dir: gofmt -l reports:" >&2
    echo "$unformatted" | sed 's/^/  /' >&2
    ok=0
  fi

  if ! vet="$(cd "$dir" && "$go" vet ./... 2>&1)" || [ -n "$vet" ]; then
    echo "FAIL $dir: go vet ./... reports:" >&2
    echo "$vet" | sed 's/^/  /' >&2
    ok=0
  fi

  if [ "$ok" -eq 1 ]; then
    echo "ok   $dir"
  else
    status=1
  fi
done

if [ "$found" -eq 0 ]; then
  echo "FAIL: no Go modules under $root/services" >&2
  exit 1
fi
exit "$status"
