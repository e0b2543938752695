#!/usr/bin/env bash
# Builds FerretDB v1.24.2 (the MongoDB-compatible test database) from its Go module and caches
# the binary in ${XDG_CACHE_HOME:-$HOME/.cache}/nastavnik/ferretdb-v1.24.2/ferretdb, where the
# bot's embedded-database provider and the test setup look for it. Needs Go (1.22+).
# Idempotent: does nothing when the binary is already there.
set -euo pipefail

VERSION=v1.24.2
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/nastavnik/ferretdb-$VERSION"
BIN="$CACHE_DIR/ferretdb"

if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; then
  echo "FerretDB $VERSION: cached at $BIN"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  for candidate in /usr/local/go/bin/go /usr/lib/go/bin/go; do
    [ -x "$candidate" ] && export PATH="$(dirname "$candidate"):$PATH" && break
  done
fi
command -v go >/dev/null 2>&1 || { echo "install-ferretdb: Go is required (apt-get install golang-go, or go.dev/dl)" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
# A throwaway module pins the exact version (`go install pkg@version` would ask the proxy for the
# module's version list, which some proxies refuse).
go mod init nastavnik-ferretdb-build >/dev/null 2>&1
go get "github.com/FerretDB/FerretDB@$VERSION" >/dev/null
SRC=$(go list -m -f '{{.Dir}}' github.com/FerretDB/FerretDB)
# The module cache copy has no build/version/version.txt (a release build generates it); without
# it the binary refuses to start, so build from a writable copy that has it.
cp -r "$SRC" "$WORK/src"
chmod -R u+w "$WORK/src"
echo "$VERSION" > "$WORK/src/build/version/version.txt"
cd "$WORK/src"
mkdir -p "$CACHE_DIR"
CGO_ENABLED=0 go build -trimpath -o "$BIN.tmp" ./cmd/ferretdb
mv "$BIN.tmp" "$BIN"
echo "FerretDB $VERSION: built at $BIN"
"$BIN" --version | head -1
