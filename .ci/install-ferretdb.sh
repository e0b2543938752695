#!/usr/bin/env bash
# Builds FerretDB v1.24.2 (the MongoDB-compatible embedded database) from its Go module, with
# the project's patches in .ci/ferretdb/*.patch applied, and caches the binary in
# ${XDG_CACHE_HOME:-$HOME/.cache}/nastavnik/ferretdb-$BUILD/ferretdb, where the bot's
# embedded-database provider and the test setup look for it (src/db/embedded.ts, FERRETDB_BUILD).
# Needs Go (1.22+). Idempotent: does nothing when the binary is already there.
#
# Patches (each explains itself at its top):
# - create-indexes.patch: a createIndexes command naming two or more existing indexes no longer
#   panics and closes the connection (the bot sends one such command per collection at every start).
# - postgresql-gin-indexes.patch: reads on the PostgreSQL backend use an index. FerretDB pushes an
#   equality filter down as `_jsonb->'field' @> value`, which its btree indexes cannot serve; the
#   patch keeps a GIN index on each indexed top-level field and has PostgreSQL plan every statement
#   with its parameters (issue 12; tests/ferretdb-indexes.test.ts shows the plans). A createIndexes
#   that creates nothing writes nothing, and a start creates only the missing GIN indexes (one
#   catalogue read): the bot's start makes sure of 108 indexes in 0.1 s instead of 0.5 s.
# - postgresql-in-pushdown.patch: `{field: {$in: [...]}}` is pushed down to PostgreSQL (ids on `_id`
#   as an `IN`, strings and ObjectIds on another field as one GIN-indexed `?|`, other values as an
#   OR of the equalities), so it is read by index instead of decoding the whole collection (the
#   bot marks handled updates done by one `_id` `$in` per batch; a digest reads lists of pairs'
#   meetings by `pairId`).
# - postgresql-range-pushdown.patch: `$gt`/`$gte`/`$lt`/`$lte` against dates are pushed down to
#   PostgreSQL as jsonb ranges (plus "any non-empty array", which MongoDB's comparison also
#   matches), so a field's btree index serves them (the digest reads a few weeks of meetings and
#   answers, retention sweeps what is older than a date).
# - read-speed.patch: reading a document costs about half the CPU it did: decoded type schemas are
#   kept, values are decoded without a json.Decoder each, and the leak tracker of FerretDB's own
#   tests is off in release builds (issue 12; figures in the patch's header).
# - reader-catalogue.patch: with NASTAVNIK_FERRETDB_FOLLOW_CATALOGUE=1, a process reads PostgreSQL's
#   catalogue again before it answers that a database or collection does not exist, so a second
#   process can serve the bot's heavy reads of what the first one creates (src/db/embedded.ts).
# - sjson-scan.patch: 35–65 % less CPU again per document read: documents' JSON text is split
#   without encoding/json's validation pass, and an inclusion projection of top-level fields takes
#   them without copying the document (issue 12; figures in the patch's header).
# - sjson-wanted-fields.patch: a find whose projection includes top-level fields only decodes only
#   those and the fields its filter and sort name, not every field of every document (issue 12;
#   figures in the patch's header).
# - update-statements.patch: each statement of an update command lets go of its read when it ends,
#   not when the command does, so a bulk write of many updates no longer waits forever for a
#   connection of the backend's pool (the bot writes the dialog states of many people in one).
# - write-autocommit.patch: an insert of one batch and an update of one document go to PostgreSQL
#   as one statement, without BEGIN and COMMIT around it: one round trip instead of three.
# - write-batch.patch: a multi-document update writes its documents 100 at a time, each batch as one
#   pipelined round trip to PostgreSQL instead of one per document (the bot's done marks of handled
#   updates are such an update).
# - write-delete-batches.patch: a delete names its documents' ids 10,000 per statement; a deleteMany
#   of more than SQLite's 32,766 or PostgreSQL's 65,535 parameters failed whole, and a retention
#   sweep with that much to sweep then failed at every run.
# A change to a patch must come with a new BUILD here and in src/db/embedded.ts, so that a cached
# binary built without it is not used.
set -euo pipefail

VERSION=v1.24.2
BUILD=v1.24.2-nastavnik.15
PATCHES="$(cd "$(dirname "$0")" && pwd)/ferretdb"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/nastavnik/ferretdb-$BUILD"
BIN="$CACHE_DIR/ferretdb"

if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; then
  echo "FerretDB $BUILD: cached at $BIN"
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
echo "$BUILD" > "$WORK/src/build/version/version.txt"
cd "$WORK/src"
for patch in "$PATCHES"/*.patch; do
  git apply -p1 "$patch"
  echo "FerretDB $VERSION: applied $(basename "$patch")"
done
mkdir -p "$CACHE_DIR"
CGO_ENABLED=0 go build -trimpath -o "$BIN.tmp" ./cmd/ferretdb
mv "$BIN.tmp" "$BIN"
echo "FerretDB $BUILD: built at $BIN"
# The first line only, read by sed to the end: `head -1` may close the pipe while FerretDB still
# writes, and under pipefail its SIGPIPE (exit 141) failed a fresh build.
"$BIN" --version | sed -n 1p
