#!/usr/bin/env bash
# Benchmarks fast synth (package fastsynth) against plain synth.
#
#   bench/bench.sh [-n ROUNDS] [--no-scaling] [--plain-scaling] [--no-tests]
#
# 1. Full reference app (`go run .`'s work, built binary): wall time of the
#    whole process and peak RSS of the jsii kernel's Node processes, fast vs
#    plain, median of ROUNDS (default 3) alternating rounds; checks that both
#    outputs are byte-identical and prints the targets (>= 2x faster wall,
#    >= 3x lighter Node peak) as PASS/FAIL.
# 2. 1, 10 and 50 environment stacks of the reference web app (Go benchmark
#    BenchmarkSynthWebAppStacks, fast only unless --plain-scaling; median of
#    ROUNDS runs): ms per synth, marginal cost per stack and per resource, and
#    how far 10 stacks is from the straight line through 1 and 50.
# 3. The README's test command, `go test ./... ./__tests__`: every package's
#    test binary, plain and fast back to back (slow: skip it with --no-tests).
#
# Node peak RSS: the jsii runtime runs `node jsii-runtime.js`, which spawns
# the kernel as a second node. /usr/bin/time on the Go process does not see
# them (the Go process exits without waiting for node), so JSII_NODE points at
# a wrapper that runs node under /usr/bin/time; GNU time reports the maximum
# over node and the child it waits for, i.e. the kernel.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3 scaling=1 tests=1 scaling_modes=fast
while [ $# -gt 0 ]; do
  case "$1" in
    -n) rounds="$2"; shift 2 ;;
    --no-scaling) scaling=0; shift ;;
    --plain-scaling) scaling_modes='fast|plain'; shift ;;
    --no-tests) tests=0; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

[ -x /usr/bin/time ] || { echo "GNU time is required: apt-get install time" >&2; exit 1; }
command -v node >/dev/null || { echo "node is required" >&2; exit 1; }
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
export CHECKPOINT_DISABLE=1
unset NODE_OPTIONS HARDENED_CDKTF_FASTSYNTH

declare -A t r
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) {print "nan"} else if (NR%2) {print v[(NR+1)/2]} else {print (v[NR/2]+v[NR/2+1])/2}}'; }

echo "== machine"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')  cpus: $(nproc)  load: $(cut -d' ' -f1-3 /proc/loadavg)  node: $(node --version)  $(go version | cut -d' ' -f3)"

# ---------------------------------------------------------------- 1. full app
echo
echo "== 1. full reference app synth ($rounds rounds, median)"
go build -o "$work/app" .
cat > "$work/node-timed" <<'EOF'
#!/bin/sh
exec /usr/bin/time -f '%M' -o "$BENCH_NODE_RSS" node "$@"
EOF
chmod +x "$work/node-timed"

run_app() { # mode round -> appends "wall_s rss_kb" to $work/$mode.txt
  local mode="$1" round="$2" dir="$work/out-$1-$2" rss="$work/rss-$1-$2"
  mkdir -p "$dir"
  (cd "$dir" && BENCH_NODE_RSS="$rss" JSII_NODE="$work/node-timed" HARDENED_CDKTF_FASTSYNTH="$mode" \
    /usr/bin/time -f '%e' -o "$work/wall-$mode-$round" "$work/app" >/dev/null 2>"$work/stderr-$mode-$round") \
    || { cat "$work/stderr-$mode-$round" >&2; exit 1; }
  # node outlives the Go process by a moment: wait for time's report.
  for _ in $(seq 100); do [ -s "$rss" ] && break; sleep 0.1; done
  echo "$(cat "$work/wall-$mode-$round") $(cat "$rss" 2>/dev/null || echo nan)" >> "$work/$mode.txt"
}
for r in $(seq "$rounds"); do
  run_app on "$r"
  run_app off "$r"
done
if diff -r "$work/out-on-1/cdktf.out" "$work/out-off-1/cdktf.out" >/dev/null; then
  identical="yes ($(ls "$work/out-on-1/cdktf.out/stacks" | wc -l) stacks)"
else
  identical="NO"
fi
fast_wall=$(cut -d' ' -f1 "$work/on.txt" | median)
plain_wall=$(cut -d' ' -f1 "$work/off.txt" | median)
fast_rss=$(cut -d' ' -f2 "$work/on.txt" | median)
plain_rss=$(cut -d' ' -f2 "$work/off.txt" | median)
awk -v fw="$fast_wall" -v pw="$plain_wall" -v fr="$fast_rss" -v pr="$plain_rss" -v id="$identical" \
    -v fa="$(tr '\n' ' ' < "$work/on.txt")" -v pa="$(tr '\n' ' ' < "$work/off.txt")" 'BEGIN {
  printf "%-6s %10s %16s   %s\n", "mode", "wall (s)", "Node peak (MB)", "rounds: wall_s rss_kb ..."
  printf "%-6s %10.2f %16.0f   %s\n", "plain", pw, pr/1024, pa
  printf "%-6s %10.2f %16.0f   %s\n", "fast", fw, fr/1024, fa
  ws = pw/fw; rs = pr/fr
  printf "wall: %.1fx faster (target >= 2x: %s)\n", ws, (ws >= 2 ? "PASS" : "FAIL")
  printf "Node peak: %.1fx lighter (target >= 3x: %s)\n", rs, (rs >= 3 ? "PASS" : "FAIL")
  printf "output byte-identical: %s\n", id
}'

# ------------------------------------------------------------- 2. scaling
if [ "$scaling" = 1 ]; then
  echo
  echo "== 2. N environment stacks of the reference web app (go test -bench BenchmarkSynthWebAppStacks -benchtime 1x -count $rounds, median)"
  go test ./__tests__ -run '^$' -bench "BenchmarkSynthWebAppStacks/($scaling_modes)/" -benchtime 1x -count "$rounds" -timeout 60m \
    | tee "$work/scaling.txt" | grep '^Benchmark' || true
  awk '
    /^BenchmarkSynthWebAppStacks\// {
      split($1, p, "/"); mode = p[2]; sub(/-[0-9]+$/, "", p[3]); split(p[3], q, "="); n = q[2]
      for (i = 2; i < NF; i++) { m[$(i+1)] = $i }
      k = mode SUBSEP n; cnt[k]++; all[k, cnt[k]] = m["ms/synth"]
      res[mode, n] = m["resources"]; mb[mode, n] = (m["node-peak-MB"] > mb[mode, n] ? m["node-peak-MB"] : mb[mode, n]); modes[mode] = 1
    }
    function median(k,    i, j, t, c, v) {
      c = cnt[k]; for (i = 1; i <= c; i++) v[i] = all[k, i] + 0
      for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
    }
    END {
      for (k in cnt) ms[k] = median(k)
      printf "%-6s %7s %10s %10s %14s\n", "mode", "stacks", "resources", "ms/synth", "Node peak MB"
      for (mode in modes) for (k = 1; k <= 3; k++) { n = (k == 1 ? 1 : (k == 2 ? 10 : 50))
        printf "%-6s %7d %10d %10d %14.0f\n", mode, n, res[mode, n], ms[mode, n], mb[mode, n] }
      for (mode in modes) {
        if (ms[mode, 50] == "" || ms[mode, 1] == "") continue
        slope = (ms[mode, 50] - ms[mode, 1]) / 49
        dres = res[mode, 50] - res[mode, 1]
        perres = dres > 0 ? sprintf("%.2f ms", (ms[mode, 50] - ms[mode, 1]) / dres) : "n/a (no resources)"
        fixed = ms[mode, 1] - slope
        pred10 = ms[mode, 1] + 9 * slope
        printf "%s: fixed cost %.0f ms, %.1f ms per extra stack (%d resources each), %s per resource; 10 stacks: %d ms measured vs %.0f ms on the 1-50 line (%+.0f%%)\n",
          mode, fixed, slope, dres / 49, perres, ms[mode, 10], pred10, 100 * (ms[mode, 10] - pred10) / pred10
      }
    }' "$work/scaling.txt"
fi

# ------------------------------------------------------------- 3. tests
if [ "$tests" = 1 ]; then
  echo
  echo "== 3. README test command (go test ./... ./__tests__), package by package, plain and fast interleaved"
  # The machine may be shared: two back-to-back runs of the whole suite
  # measure the neighbours' load as much as fast synth. So each package's
  # test binary is built once (compilation does not depend on the mode) and
  # run plain and fast back to back, alternating which goes first.
  mkdir -p "$work/bin"
  i=0
  printf "  %-56s %9s %9s\n" package "plain (s)" "fast (s)"
  for pkg in $(go list ./... ./__tests__); do
    dir=$(go list -f '{{.Dir}}' "$pkg")
    bin="$work/bin/$(echo "$pkg" | tr '/.' '__').test"
    go test -c -o "$bin" "$pkg" >/dev/null
    [ -x "$bin" ] || continue   # no test files
    i=$((i + 1))
    order="off on"; [ $((i % 2)) = 0 ] && order="on off"
    for mode in $order; do
      start=$(date +%s.%N)
      if (cd "$dir" && HARDENED_CDKTF_FASTSYNTH=$mode "$bin" -test.count=1 -test.timeout=45m > "$work/t-$i-$mode.txt" 2>&1); then rc=ok; else rc=FAIL; fi
      end=$(date +%s.%N)
      t[$i$mode]=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}')
      r[$i$mode]=$rc
    done
    printf "  %-56s %9s %9s%s\n" "${pkg#github.com/hardened-iac/cdktf-aws/}" "${t[${i}off]}" "${t[${i}on]}" \
      "$([ "${r[${i}off]}${r[${i}on]}" = okok ] || echo "  (plain ${r[${i}off]}, fast ${r[${i}on]})")"
    echo "${t[${i}off]} ${t[${i}on]}" >> "$work/tests.txt"
  done
  awk '{ p += $1; f += $2 } END { printf "  %-56s %9.1f %9.1f\ntest suite run sequentially: %.1fx faster with fast synth (%.0f s saved); go test runs 2 packages at a time, so the README command takes about half of each.\n", "total", p, f, p / f, p - f }' "$work/tests.txt"
fi
