#!/usr/bin/env bash
# Rebuilds the baseline reference of the API bundle from the API sources as they are now, and
# writes it to cnf/baseline/io.chronofabric.api.jar (see README.md beside this script).
#
# Run it when an API change is intended and accepted (before the first release: after a round of
# API work has landed), then commit the jar together with that change:
#   cnf/baseline/refresh.sh && git add cnf/baseline/io.chronofabric.api.jar
# Extra arguments go to Maven, e.g. `cnf/baseline/refresh.sh -o` to build offline.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

# Build the API bundle alone; no baselining (it would compare against the jar being replaced)
# and no tests, not even compiled (they do not change the jar).
mvn -B -q -pl bundles/api package -Dmaven.test.skip=true -Dbnd.baseline.skip=true "$@"

built=(bundles/api/target/io.chronofabric.api-*.jar)
if [ "${#built[@]}" -ne 1 ] || [ ! -f "${built[0]}" ]; then
  echo "refresh.sh: expected exactly one bundles/api/target/io.chronofabric.api-*.jar, found: ${built[*]}" >&2
  exit 1
fi
cp "${built[0]}" "$here/io.chronofabric.api.jar"

# The build is reproducible (fixed archive timestamps), so an unchanged API gives an unchanged jar.
if git diff --quiet -- "$here/io.chronofabric.api.jar" 2>/dev/null \
    && git ls-files --error-unmatch "$here/io.chronofabric.api.jar" >/dev/null 2>&1; then
  echo "refresh.sh: reference unchanged (${built[0]})"
else
  echo "refresh.sh: reference updated from ${built[0]}; exported packages:"
  unzip -p "$here/io.chronofabric.api.jar" META-INF/MANIFEST.MF | tr -d '\r' \
    | awk '/^Export-Package:/{p=1; sub(/^Export-Package: /,""); printf "%s", $0; next}
           p && /^ /{sub(/^ /,""); printf "%s", $0; next} p{exit}' \
    | sed 's/;uses:="[^"]*"//g' | tr ',' '\n' | sed 's/^/  /'
  echo
  echo "Commit it: git add cnf/baseline/io.chronofabric.api.jar"
fi
