#!/bin/sh
# Regenerates the tables of docs/ that come from the code, between their markers:
#   docs/trace-schema.md  <!-- metrics:begin --> ... <!-- metrics:end -->   (iccsim compare --list-metrics)
#   docs/trace-schema.md  <!-- columns-TABLE:begin --> ... <!-- columns-TABLE:end -->   (iccsim export trace-schema --table TABLE)
# ICCSIM names the binary (default .build/debug/iccsim). A test fails when a table is stale.
set -eu
cd "$(dirname "$0")/.."
ICCSIM=${ICCSIM:-.build/debug/iccsim}
replace() {  # replace FILE NAME COMMAND...: the text between the NAME markers of FILE becomes COMMAND's output
  file=$1 name=$2; shift 2
  "$@" > .build/doc-table.txt
  python3 - "$file" "$name" .build/doc-table.txt <<'PY'
import sys
path, name, table = sys.argv[1], sys.argv[2], open(sys.argv[3]).read()
text = open(path).read()
begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
i, j = text.index(begin) + len(begin), text.index(end)
open(path + ".tmp", "w").write(text[:i] + "\n" + table + text[j:])
PY
  mv "$file.tmp" "$file"
}
replace docs/trace-schema.md metrics "$ICCSIM" compare --list-metrics
for t in jobs failures power collectives models deployments requests links utilization utilization_pools utilization_tenants periods period_pools; do
  replace docs/trace-schema.md "columns-$t" "$ICCSIM" export trace-schema --table "$t"
done
echo "doc-tables: docs/trace-schema.md (metrics, trace columns) regenerated"
