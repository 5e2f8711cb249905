#!/usr/bin/env bash
# The synth and test-suite benchmark of issue 16, from one script.
#
#   bench/bench.sh [-n ROUNDS] [-k COPIES] [--no-tests] [--no-scaling] [--measures] [--census]
#
# 1. Full reference app: Go (bench/synthapp: `go run .`'s work, built, fast
#    synth on) against the same resources in TypeScript (bench/tsgen writes a
#    cdktf program from the Go output; plain node runs it, compiled once with
#    tsc), run in turn, ROUNDS rounds (default 7), medians and the ratio
#    (target: Go <= 2.0x TypeScript). Checks that the TypeScript output equals
#    the Go output modulo metadata and that fast synth's output is
#    byte-identical to plain synth's. Prints the phases of both and the Node
#    process's peak RSS (bench/measure: it waits for, and measures, the jsii
#    kernel the Go program leaves running).
# 2. Per-resource marginal cost: 1 and COPIES (default 10) web-app
#    environment stacks, Go and TypeScript, paired the same way.
# 3. What one jsii round trip costs, by kind (bench/roundtrip).
# 4. --measures: the full app with each fast-synth measure left out in turn
#    (HARDENED_CDKTF_FASTSYNTH_SKIP) and with fast synth off, paired with all
#    measures on.
# 5. The README test command, `CI=true go test -count=1 ./... ./__tests__`,
#    compiled first: its wall time (target: 90 s) and each package's time.
#    --census: every terraform and trivy command the tests run goes through
#    a wrapper that records its CPU (its own and its providers'), and a table
#    per command kind follows (bash's `times`; a few ms per command).
#
# Needs Go, Node.js and npm (bench/ts has its own package.json and lock file;
# the script runs `npm ci` there when bench/ts/node_modules is missing).
# Results depend on the machine's load: the script prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
# synthapp runs in scratch directories: give it the repository's platform config.
export HARDENED_CDKTF_CONFIG="${HARDENED_CDKTF_CONFIG:-$PWD/platform.yaml}"
root=$PWD

rounds=7 copies=10 tests=1 scaling=1 measures=0 census=0
while [ $# -gt 0 ]; do
  case "$1" in
    -n) rounds="$2"; shift 2 ;;
    -k) copies="$2"; shift 2 ;;
    --no-tests) tests=0; shift ;;
    --no-scaling) scaling=0; shift ;;
    --measures) measures=1; shift ;;
    --census) census=1; shift ;;
    -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
export CHECKPOINT_DISABLE=1 BENCH_PHASES=1
unset NODE_OPTIONS JSII_NODE HARDENED_CDKTF_FASTSYNTH HARDENED_CDKTF_FASTSYNTH_SKIP HARDENED_CDKTF_FASTSYNTH_NODE

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
# probe: the median of 3 runs of bench/cpuprobe (a fixed single-threaded
# workload), "cpu_s wall_s": the machine's speed at that moment.
probe() { for _ in 1 2 3; do "$work/cpuprobe"; done | sort -g | sed -n 2p; }
# cpustat: the machine's CPU time so far, in clock ticks: busy (user, nice,
# system, irq, softirq), idle (idle, iowait), steal (taken by the host).
cpustat() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6, $9 }' /proc/stat; }

echo "== machine"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')  cpus: $(nproc)  load: $(load)  node: $(node --version)  $(go version | cut -d' ' -f3)  commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo '+dirty')"

# ------------------------------------------------------------------ setup
go build -o "$work/synthapp" ./bench/synthapp
go build -o "$work/measure" ./bench/measure
go build -o "$work/tsgen" ./bench/tsgen
go build -o "$work/roundtrip" ./bench/roundtrip
go build -o "$work/cpuprobe" ./bench/cpuprobe
if [ ! -d bench/ts/node_modules/@cdktf/provider-aws ]; then
  (cd bench/ts && npm ci --no-audit --no-fund --loglevel=error)
fi

# tsprogram NAME GO_OUT: generates, compiles and checks the TypeScript
# program that rebuilds GO_OUT; leaves it in $work/ts-NAME/dist/app.js.
tsprogram() {
  local name="$1" goout="$2" dir="$work/ts-$1"
  mkdir -p "$dir/gen"
  "$work/tsgen" gen -in "$goout" -node-modules bench/ts/node_modules -out "$dir/gen/app.ts"
  cat > "$dir/tsconfig.json" <<EOF
{ "extends": "$root/bench/ts/tsconfig.json", "compilerOptions": { "outDir": "$dir/dist", "rootDir": "$dir/gen" }, "include": ["$dir/gen/*.ts"] }
EOF
  ln -sfn "$root/bench/ts/node_modules" "$dir/node_modules"
  bench/ts/node_modules/.bin/tsc -p "$dir/tsconfig.json"
  mkdir -p "$dir/run"
  (cd "$dir/run" && BENCH_PHASES= node "$dir/dist/app.js" >/dev/null)
  "$work/tsgen" compare -go "$goout" -ts "$dir/run/cdktf.out"
}

# paired LABEL_A 'CMD_A' LABEL_B 'CMD_B' ...: runs the commands in turn,
# $rounds rounds, each in its own directory; appends "wall cpu rss phases" per
# run to $work/res-LABEL.
paired() {
  local -a labels=() cmds=()
  while [ $# -gt 0 ]; do labels+=("$1"); cmds+=("$2"); shift 2; done
  for r in $(seq "$rounds"); do
    for i in "${!labels[@]}"; do
      local d="$work/run-${labels[$i]}"
      rm -rf "$d"; mkdir -p "$d"
      local m
      m=$(cd "$d" && eval "\"$work/measure\" -- ${cmds[$i]}" 2>"$d.err") || { cat "$d.err" >&2; exit 1; }
      echo "$m $(grep -o 'phases .*' "$d.err" | tail -1 | cut -d' ' -f2- | tr ' ' ',')" >> "$work/res-${labels[$i]}"
    done
  done
}

# summary LABEL...: median wall, cpu and peak RSS of each label.
summary() {
  for l in "$@"; do
    sort -g "$work/res-$l" | awk -v l="$l" '
      { w[NR]=$1; c[NR]=$2; r[NR]=$3; p[NR]=$4; all = all sprintf(" %.2f", $1) }
      function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t } return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
      END { pm = p[int((NR + 1) / 2)]; printf "  %-14s wall %6.2f s  cpu %6.2f s  peak RSS %4.0f MB   walls:%s   phases (ms, median-wall run): %s\n", l, med(w, NR), med(c, NR), med(r, NR) / 1024, all, pm }'
  done
}
med_of() { # LABEL FIELD -> median
  awk -v f="$2" '{ print $f }' "$work/res-$1" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
# ratio A B FIELD: median over rounds of A/B (paired), and ratio of medians.
ratio() {
  paste -d' ' <(awk -v f="$3" '{ print $f }' "$work/res-$1") <(awk -v f="$3" '{ print $f }' "$work/res-$2") |
    awk '{ print $1 / $2 }' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
resources() { # cdktf.out -> number of resources
  cat "$1"/stacks/*/cdk.tf.json | grep -c '"uniqueId"' || true
}

# --------------------------------------------------------- 1. full app
echo
echo "== 1. full reference app: Go (fast synth) vs the same resources in TypeScript ($rounds rounds, in turn)"
mkdir -p "$work/go-full" "$work/go-plain"
# Warm-up: fills the jsii package cache, its runtime index (built by a
# detached process on the first run; waited for) and the V8 code cache.
(cd "$work/go-full" && "$work/synthapp" >/dev/null 2>&1)
for _ in $(seq 120); do ls ~/.cache/hardened-cdktf/fastsynth/index-*.lock >/dev/null 2>&1 || break; sleep 1; done
(cd "$work/go-full" && "$work/synthapp" >/dev/null 2>&1)
(cd "$work/go-plain" && HARDENED_CDKTF_FASTSYNTH=off "$work/synthapp" >/dev/null 2>&1)
if diff -r "$work/go-full/cdktf.out" "$work/go-plain/cdktf.out" >/dev/null; then
  identical="yes ($(ls "$work/go-full/cdktf.out/stacks" | wc -l) stacks)"
else
  identical="NO"
fi
echo "fast synth output byte-identical to plain synth: $identical"
full_res=$(resources "$work/go-full/cdktf.out")
tsprogram full "$work/go-full/cdktf.out"
paired go "$work/synthapp -phases" ts "node $work/ts-full/dist/app.js"
summary go ts
awk -v pr="$(ratio go ts 1)" -v mr="$(med_of go 1)" -v mt="$(med_of ts 1)" -v cr="$(ratio go ts 2)" -v n="$full_res" -v id="$identical" 'BEGIN {
  printf "Go / TypeScript, full app (%d resources): wall %.2fx (median of paired ratios; ratio of medians %.2fx), cpu %.2fx\n", n, pr, mr / mt, cr
  printf "target Go <= 2.0x TypeScript, identical output: %s\n", (pr <= 2.0 && id != "NO" ? "PASS" : "FAIL")
}'

# -------------------------------------------------- 2. per-resource cost
if [ "$scaling" = 1 ]; then
  echo
  echo "== 2. marginal cost per resource: 1 and $copies web-app environment stacks ($rounds rounds, in turn)"
  for k in 1 "$copies"; do
    mkdir -p "$work/go-k$k"
    (cd "$work/go-k$k" && "$work/synthapp" -webapp-copies "$k" >/dev/null 2>&1)
    tsprogram "k$k" "$work/go-k$k/cdktf.out"
  done
  r1=$(resources "$work/go-k1/cdktf.out"); rk=$(resources "$work/go-k$copies/cdktf.out")
  paired go-k1 "$work/synthapp -phases -webapp-copies 1" ts-k1 "node $work/ts-k1/dist/app.js" \
         go-k"$copies" "$work/synthapp -phases -webapp-copies $copies" ts-k"$copies" "node $work/ts-k$copies/dist/app.js"
  summary go-k1 ts-k1 go-k"$copies" ts-k"$copies"
  awk -v g1="$(med_of go-k1 1)" -v gk="$(med_of go-k$copies 1)" -v t1="$(med_of ts-k1 1)" -v tk="$(med_of ts-k$copies 1)" \
      -v c1="$(med_of go-k1 2)" -v ck="$(med_of go-k$copies 2)" -v u1="$(med_of ts-k1 2)" -v uk="$(med_of ts-k$copies 2)" \
      -v r1="$r1" -v rk="$rk" -v k="$copies" 'BEGIN {
    d = rk - r1
    printf "resources: %d (1 stack), %d (%d stacks)\n", r1, rk, k
    printf "marginal wall per resource: Go %.2f ms, TypeScript %.2f ms (%.2fx); cpu: Go %.2f ms, TypeScript %.2f ms\n",
      1000 * (gk - g1) / d, 1000 * (tk - t1) / d, (gk - g1) / (tk - t1), 1000 * (ck - c1) / d, 1000 * (uk - u1) / d
    printf "fixed cost (1-stack wall minus its resources at the marginal rate): Go %.2f s, TypeScript %.2f s\n",
      g1 - r1 * (gk - g1) / d, t1 - r1 * (tk - t1) / d
  }'
fi

# ------------------------------------------------------ 3. round trips
echo
echo "== 3. one jsii round trip, by kind (bench/roundtrip -n 1000, fast synth on; plain synth in brackets)"
fast_rt=$("$work/roundtrip" -n 1000 2>/dev/null)
plain_rt=$(HARDENED_CDKTF_FASTSYNTH=off "$work/roundtrip" -n 1000 2>/dev/null)
paste -d' ' <(echo "$fast_rt") <(echo "$plain_rt") | awk '{ printf "  %-10s %6.3f ms  (plain %6.3f ms)\n", $2, $3, $7 }'

# ---------------------------------------------------- 4. each measure
if [ "$measures" = 1 ]; then
  echo
  echo "== 4. what each fast-synth measure buys: full app with one measure left out ($rounds rounds, in turn)"
  rm -f "$work"/res-m-*
  # "index" matters only where the runtime index is missing: a copy (hard
  # links) of the jsii package cache whose index files cannot exist (a
  # directory in their place) is such a machine, for every round.
  pc="${JSII_RUNTIME_PACKAGE_CACHE_ROOT:-$HOME/.cache/aws/jsii/package-cache}"
  cp -al "$pc" "$work/pc-noindex"
  find "$work/pc-noindex" -name '.jsii.runtime*' -exec rm -rf {} +
  for d in "$work"/pc-noindex/*/*/* "$work"/pc-noindex/@*/*/*/*; do
    [ -f "$d/.jsii" ] && mkdir -p "$d/.jsii.runtime.v1.json" "$d/.jsii.runtime-index.v1"
  done
  args=(m-all "$work/synthapp -phases")
  for m in lazy direct index stacks cache digest; do
    extra=; [ $m = index ] && extra="JSII_RUNTIME_PACKAGE_CACHE_ROOT=$work/pc-noindex"
    args+=("m-no-$m" "env $extra HARDENED_CDKTF_FASTSYNTH_SKIP=$m $work/synthapp -phases")
  done
  args+=(m-off "env HARDENED_CDKTF_FASTSYNTH=off $work/synthapp -phases")
  paired "${args[@]}"
  for ((i = 0; i < ${#args[@]}; i += 2)); do summary "${args[$i]}"; done
  for m in lazy direct index stacks cache digest off; do
    l=m-no-$m; [ $m = off ] && l=m-off && m="all (off)"
    awk -v m="$m" -v d="$(awk '{print $1}' "$work/res-$l" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')" \
        -v a="$(awk '{print $1}' "$work/res-m-all" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')" \
        'BEGIN { printf "  without %-9s %+6.2f s wall (%.2fx)\n", m, d - a, d / a }'
  done
fi

# ----------------------------------------------------------- 5. tests
if [ "$tests" = 1 ]; then
  echo
  echo "== 5. README test command: CI=true go test -count=1 ./... ./__tests__ (compiled first)"
  go test -count=1 -run '^$' ./... ./__tests__ >/dev/null
  path="$PATH"
  if [ "$census" = 1 ]; then
    # A wrapper per tool, ahead of the real one on PATH: it runs the tool
    # and appends "tool subcommand user sys" (the tool's children, i.e. its
    # providers, included) to census.log.
    mkdir -p "$work/shim"
    for tool in terraform trivy; do
      real="$(command -v "$tool" || true)"
      if [ -z "$real" ] && [ "$tool" = trivy ]; then real="$(go env GOPATH)/bin/trivy"; fi
      {
        echo '#!/usr/bin/env bash'
        echo "\"$real\" \"\$@\""
        echo 'rc=$?'
        echo "times > \"$work/times.\$\$\"  # the builtin, in this shell: its children's CPU"
        echo "t=(\$(tail -1 \"$work/times.\$\$\")); rm -f \"$work/times.\$\$\""
        echo "echo \"$tool \${1:-none} \${t[0]} \${t[1]}\" >> \"$work/census.log\""
        echo 'exit $rc'
      } > "$work/shim/$tool"
      chmod +x "$work/shim/$tool"
    done
    path="$work/shim:$PATH"
  fi
  probe_before=$(probe)
  stat_before=$(cpustat)
  start=$(date +%s.%N)
  set +e
  CI=true PATH="$path" go test -count=1 -timeout 45m ./... ./__tests__ > "$work/tests.txt" 2>&1
  rc=$?
  set -e
  end=$(date +%s.%N)
  stat_after=$(cpustat)
  probe_after=$(probe)
  grep -E '^(ok|FAIL|---|\?)' "$work/tests.txt" | grep -v '^?' | sed 's/^/  /' | sort -k3 -g -r | awk '{ print }'
  awk -v a="$start" -v b="$end" -v rc="$rc" -v l="$(load)" 'BEGIN {
    t = b - a
    printf "README test command: %.1f s wall (exit %d; load at the end %s); target <= 90 s: %s\n", t, rc, l, (t <= 90 && rc == 0 ? "PASS" : "FAIL")
  }'
  # The machine during the run (all processes, from /proc/stat), and the
  # CPU probe before and after it: the same tests take more wall time when
  # the host is busy (a slower core: the probe's cpu_s grows; cores taken
  # away: steal), so compare wall times only together with these.
  hz=$(getconf CLK_TCK)
  echo "$stat_before $stat_after" | awk -v hz="$hz" '{
    printf "machine during the run: busy %.1f CPU-s, idle %.1f, steal %.1f (from /proc/stat)\n", ($4 - $1) / hz, ($5 - $2) / hz, ($6 - $3) / hz
  }'
  echo "CPU probe (bench/cpuprobe, fixed work, median of 3; cpu_s wall_s): before $probe_before, after $probe_after"
  if [ "$census" = 1 ] && [ -s "$work/census.log" ]; then
    echo "census: CPU of the tools the tests ran (with their child processes)"
    census() { # mode "kinds" (a line per tool and subcommand) or "total"
      awk -v mode="$1" 'function sec(x,  m, s) { m = x; sub(/m.*/, "", m); s = x; sub(/^[0-9]+m/, "", s); sub(/s$/, "", s); return m * 60 + s }
        { k = $1 " " $2; n[k]++; c[k] += sec($3) + sec($4); all += sec($3) + sec($4) }
        END { if (mode == "total") printf "  all: %.1f CPU-s\n", all; else for (k in n) printf "  %-20s %4d commands %7.1f CPU-s\n", k, n[k], c[k] }' "$work/census.log"
    }
    census kinds | sort -k5 -g -r
    census total
  fi
fi
echo
echo "load at the end: $(load)"
