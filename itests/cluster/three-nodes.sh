#!/bin/sh
# Distribution tier of the consensus (issue #14), by hand: three real ChronoFabric distributions
# (each its own JVM and data directory) form a 3-node Aeron Cluster on loopback; proposals from the
# console, the leader killed with kill -9, proposals on the two others, the old leader restarted;
# then a history check: every node's csf:cluster-log is the same, and every acknowledged proposal
# sits at its acknowledged index and term; ledger appends run alongside, and every node's RFC 6962
# root at every acknowledged size is the one the append was acknowledged with.
#
# usage: itests/cluster/three-nodes.sh [work dir]   (after: mvn install of karaf-distribution;
#        CF_ASSEMBLY=<a copy of karaf-distribution/target/assembly> to use another one)
# needs: ssh, ssh-keygen. Ports: SSH 1874N, HTTP 1875N, cluster UDP 2N010-2N014 (N = 0, 1, 2).
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
assembly="${CF_ASSEMBLY:-$here/karaf-distribution/target/assembly}"
work=${1:-/tmp/cf-three-nodes}
[ -d "$assembly" ] || { echo "no $assembly: build karaf-distribution first"; exit 2; }
rm -rf "$work"; mkdir -p "$work"
ssh-keygen -q -t rsa -b 2048 -N "" -f "$work/key"
members="0=127.0.0.1:20010, 1=127.0.0.1:21010, 2=127.0.0.1:22010"

kc() { # kc N "command": one console command on node N
    ssh -q -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=5 \
        -i "$work/key" -p "1874$1" karaf@127.0.0.1 "$2" 2>/dev/null | tr -d '\r'
}
pid_of() { cat "$work/cf$1/karaf.pid" 2>/dev/null || true; }

for n in 0 1 2; do
    d="$work/cf$n"; cp -r "$assembly" "$d"
    sed -i "s/^sshPort *=.*/sshPort = 1874$n/" "$d/etc/org.apache.karaf.shell.cfg"
    sed -i "s/^org.osgi.service.http.port *=.*/org.osgi.service.http.port = 1875$n/" "$d/etc/org.ops4j.pax.web.cfg"
    sed -i "s/^node.id *=.*/node.id = $n/" "$d/etc/io.chronofabric.time.cfg" 2>/dev/null || true
    echo "karaf=$(cut -d' ' -f2 "$work/key.pub"),_g_:admingroup" >> "$d/etc/keys.properties"
    printf 'node.id = %s\nmembers = %s\nheartbeat.timeout.ms = 2000\nproposal.timeout.ms = 5000\n' "$n" "$members" \
        > "$d/etc/io.chronofabric.consensus.cfg"
    (cd "$d" && bin/start)   # Karaf writes its pid to karaf.pid (karaf.pid.file)
done
for n in 0 1 2; do
    i=0; until [ "$(kc $n version)" != "" ]; do i=$((i+1)); [ $i -lt 90 ] || { echo "node $n: no console"; exit 1; }; sleep 2; done
    kc $n "feature:install chronofabric-cluster" >/dev/null
done
leader() {
    for n in 0 1 2; do
        if kc $n csf:cluster | grep -q "(leader)"; then echo $n; return; fi
    done
    echo -1
}
i=0; while [ "$(leader)" = "-1" ]; do i=$((i+1)); [ $i -lt 60 ] || { echo "no leader"; exit 1; }; sleep 1; done
L=$(leader); echo "leader: node-$L"

acked="$work/acked.txt"; : > "$acked"
propose() { # propose N value: retries until committed (a failure has an unknown outcome)
    t=0
    while :; do
        out=$(kc "$1" "csf:propose $2")
        case "$out" in
            "Committed index "*) echo "$out" | awk -v v="$2" '{print $3, $6, v}' >> "$acked"; return 0 ;;
        esac
        t=$((t+1)); [ $t -lt 30 ] || { echo "node $1: $2 never committed: $out"; return 1; }
        sleep 1
    done
}
appended="$work/appended.txt"; : > "$appended"
append() { # append N entry: a ledger append through consensus, retried like propose
    t=0
    while :; do
        out=$(kc "$1" "csf:cluster-ledger --append $2")
        case "$out" in
            "Appended entry "*) echo "$out" | awk '{print $3, $NF}' >> "$appended"; return 0 ;;
        esac
        t=$((t+1)); [ $t -lt 30 ] || { echo "node $1: ledger entry $2 never committed: $out"; return 1; }
        sleep 1
    done
}
for k in $(seq 1 10); do for n in 0 1 2; do propose $n "a-n$n-$k"; done; append $((k % 3)) "la-$k"; done

p=$(pid_of "$L"); echo "kill -9 node-$L (pid $p)"; kill -9 "$p"
for k in $(seq 1 10); do for n in 0 1 2; do [ "$n" = "$L" ] || { propose $n "b-n$n-$k"; append $n "lb-$n-$k"; }; done; done
NL=$(leader); echo "new leader: node-$NL"; kc "$NL" csf:cluster | grep -E "Term|Commit"

(cd "$work/cf$L" && bin/start)
i=0; until [ "$(kc $L version)" != "" ]; do i=$((i+1)); [ $i -lt 90 ] || { echo "node $L: no console"; exit 1; }; sleep 2; done
target=$(kc "$NL" csf:cluster | awk '/Commit index/ {print $3}')
i=0; until [ "$(kc $L csf:cluster | awk '/Commit index/ {print $3}')" = "$target" ]; do
    i=$((i+1)); [ $i -lt 60 ] || { echo "node $L did not catch up to $target"; exit 1; }; sleep 1
done
for k in $(seq 1 5); do propose "$L" "c-n$L-$k"; append "$L" "lc-$k"; done
sleep 2

fail=0
for n in 0 1 2; do kc $n "csf:cluster-log --from 0 --count 10000" | tail -n +2 > "$work/log$n.txt"; done
for n in 1 2; do cmp -s "$work/log0.txt" "$work/log$n.txt" || { echo "node $n's log differs from node 0's"; fail=1; }; done
while read -r index term value; do
    grep -q "^$index  *$term  *\"$value\"\$" "$work/log0.txt" || { echo "acknowledged $index $term $value missing"; fail=1; }
done < "$acked"
echo "$(wc -l < "$acked") proposals acknowledged, $(wc -l < "$work/log0.txt") values in each log"
# the ledger: every acknowledged append's root is every node's root at that size
while read -r index root; do
    size=$((index + 1))
    for n in 0 1 2; do
        r=$(kc $n "csf:cluster-ledger --size $size" | awk '/^Root/ {print $3}')
        [ "$r" = "$root" ] || { echo "node $n: ledger root at size $size is $r, acknowledged $root"; fail=1; }
    done
done < "$appended"
echo "$(wc -l < "$appended") ledger appends acknowledged; roots compared on 3 nodes at every size"
for n in 0 1 2; do kc $n "system:shutdown -f" >/dev/null || true; done
sleep 5
for n in 0 1 2; do p=$(pid_of $n); [ -z "$p" ] || kill "$p" 2>/dev/null || true; done
[ $fail = 0 ] && echo "history check: one total order on all nodes, no acknowledged proposal or append lost, same ledger roots" || exit 1
