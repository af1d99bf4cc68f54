#!/usr/bin/env bash
# Bus throughput inside a running distribution with nobody watching, next to the same with
# /metrics scraped every second and a dashboard's Server-Sent Events stream open (what an operator
# with Prometheus and a browser costs the bus). Rounds alternate between the two, so drift of the
# machine shows in both; prints each round, the median of each and the ratio with its spread.
#
# usage: benchmarks/observability-overhead.sh [rounds] [packets per round]
#   needs the built distribution (karaf-distribution/target/chronofabric-karaf-*.tar.gz), Java 17,
#   ssh, ssh-keygen and curl; starts its own copy on free ports under a temporary directory.
set -euo pipefail
rounds=${1:-5}
packets=${2:-2000000}
root="$(cd "$(dirname "$0")/.." && pwd)"
tarball=$(ls "$root"/karaf-distribution/target/chronofabric-karaf-*.tar.gz 2>/dev/null | head -1)
[ -f "$tarball" ] || { echo "no distribution: run mvn -B -q install -DskipTests first" >&2; exit 1; }
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
work=$(mktemp -d /tmp/cf-obs-XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ssh_port=$(free_port); web_port=$(free_port)
tar xzf "$tarball" -C "$work"
home=$(ls -d "$work"/chronofabric-karaf-*/)
sed -i "s/^sshPort = .*/sshPort = $ssh_port/" "$home/etc/org.apache.karaf.shell.cfg"
sed -i "s/^org.osgi.service.http.port *= *.*/org.osgi.service.http.port = $web_port/" "$home/etc/org.ops4j.pax.web.cfg"
ssh-keygen -q -t rsa -b 2048 -N "" -f "$work/key"
echo "bench=$(awk '{print $2}' "$work/key.pub"),_g_:admingroup" >> "$home/etc/keys.properties"
console() {
  ssh -q -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o PubkeyAcceptedAlgorithms=+ssh-rsa \
      -o HostKeyAlgorithms=+ssh-rsa -i "$work/key" -p "$ssh_port" bench@127.0.0.1 "$@" 2>/dev/null
}
watchers=()
stop_watchers() { for p in "${watchers[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; watchers=(); }
cleanup() { stop_watchers; "$home/bin/stop" >/dev/null 2>&1 || true; sleep 3; pkill -f "$work" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
"$home/bin/start"
for _ in $(seq 1 90); do console "csf:time" >/dev/null && curl -sf "http://127.0.0.1:$web_port/metrics" >/dev/null && break; sleep 2; done
curl -sf "http://127.0.0.1:$web_port/chronofabric/api/status" >/dev/null || { echo "the distribution did not come up" >&2; exit 1; }
run() { console "csf:bench -n $packets -w 200000 -l 2000" | sed -n 's/^Throughput : \([0-9,]*\) packets.*/\1/p' | tr -d ','; }
run >/dev/null # warm the JIT
none=(); watched=()
for r in $(seq 1 "$rounds"); do
  a=$(run)
  ( while true; do curl -s -o /dev/null "http://127.0.0.1:$web_port/metrics"; sleep 1; done ) & watchers+=($!)
  curl -s -N -o /dev/null "http://127.0.0.1:$web_port/chronofabric/api/events" & watchers+=($!)
  sleep 2
  b=$(run)
  stop_watchers
  echo "round $r: nobody watching $a packets/s, scraped every 1 s + dashboard open $b packets/s"
  none+=("$a"); watched+=("$b")
done
python3 - "${none[@]}" -- "${watched[@]}" <<'PY'
import statistics, sys
args = sys.argv[1:]; i = args.index('--')
a = [float(x) for x in args[:i]]; b = [float(x) for x in args[i + 1:]]
ratios = [y / x for x, y in zip(a, b)]
print(f"median nobody watching {statistics.median(a):,.0f} packets/s (min {min(a):,.0f}, max {max(a):,.0f})")
print(f"median watched         {statistics.median(b):,.0f} packets/s (min {min(b):,.0f}, max {max(b):,.0f})")
print(f"watched / nobody: median {statistics.median(ratios):.3f}, rounds {min(ratios):.3f}..{max(ratios):.3f}")
spread = (max(a) - min(a)) / statistics.median(a)
print(f"spread of the unwatched rounds: {spread:.1%} of their median")
PY
