#!/usr/bin/env bash
# Measures the distribution's boot time (launch of bin/karaf until csf:status answers with the
# HLC row) and its idle memory (RSS and used heap after 60 s idle). Needs tmux and jcmd.
# Usage: karaf-distribution/measure.sh  (after the distribution is built)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
cp -r "$here/target/assembly" "$work/karaf"
session=cf-measure-$$
start=$(date +%s%N)
tmux new-session -d -s "$session" -x 220 -y 60 "$work/karaf/bin/karaf"
answered=""
for _ in $(seq 1 600); do
  sleep 0.1
  tmux send-keys -t "$session" 'csf:status hlc' Enter
  if tmux capture-pane -t "$session" -p | grep -q 'hlc  *| HlcClock  *| present'; then
    answered=$(date +%s%N); break
  fi
done
if [ -z "$answered" ]; then echo "csf:status did not answer within 60 s"; tmux kill-session -t "$session"; exit 1; fi
echo "boot to first csf:status answer: $(( (answered - start) / 1000000 )) ms"
pid=$(pgrep -f "java.*karaf.home=$work/karaf" | head -1)
sleep 5
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
before=$(ticks "$pid")
sleep 60
after=$(ticks "$pid")
hz=$(getconf CLK_TCK)
echo "idle for 60 s: CPU used $(( (after - before) * 1000 / hz )) ms; RSS $(( $(ps -o rss= -p "$pid") / 1024 )) MiB"
jcmd "$pid" GC.run >/dev/null 2>&1 || true
jcmd "$pid" GC.heap_info 2>/dev/null | head -3 || true
tmux send-keys -t "$session" 'shutdown -f' Enter
sleep 3
tmux kill-session -t "$session" 2>/dev/null || true
rm -rf "$work"
