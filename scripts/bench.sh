#!/usr/bin/env bash
# Measures what BENCHMARKS.md reports: the client's benchmarks, the time to
# regenerate gen/, and a cold build of gen and qovery. Run from anywhere in
# the module (`make bench` does). Nothing in the working tree is modified.
#
# Environment:
#   ROUNDS     rounds of the GetDatabase and RoundTrip benchmarks (default 5);
#              each round runs every one of them once, so that the medians
#              compared with each other come from the same stretch of time
#   BENCHTIME  -test.benchtime of each benchmark run (default 1s)
#   BUILDS     cold builds of gen and qovery to time (default 3)
#   OUT        keep the raw outputs in this directory (default: discarded)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

GO=${GO:-go}
ROUNDS=${ROUNDS:-5}
BENCHTIME=${BENCHTIME:-1s}
BUILDS=${BUILDS:-3}

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
out=${OUT:-$tmp/out}
mkdir -p "$out"

median() { sort -g | awk '{v[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

# wall_rss FILE: "seconds peak_kb" from a /usr/bin/time -f '%e %M' output.
timed() {
	local file=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -o "$file" -f '%e %M' "$@"
	else
		local start end
		start=$(date +%s.%N)
		"$@"
		end=$(date +%s.%N)
		echo "$(echo "$end - $start" | bc) 0" >"$file"
	fi
}

echo "== machine"
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)
echo "cpu: ${cpu:-unknown}, $(nproc 2>/dev/null || echo '?') cores"
"$GO" version
echo

# --- benchmarks -------------------------------------------------------------
echo "== benchmarks ($ROUNDS rounds, -benchtime $BENCHTIME)"
"$GO" test -c -o "$tmp/qovery.test" ./qovery
raw=$out/bench.txt
: >"$raw"
# One benchmark per process, in an order that rotates from round to round,
# so that no benchmark always runs first (or right after the same one).
benches=(GetDatabaseFacade GetDatabaseService GetDatabaseGen GetDatabaseBare GetDatabaseWire GetDatabaseInMemory RoundTripNoop RoundTripLayers PathGet PathList100 PathPost)
for r in $(seq "$ROUNDS"); do
	for i in "${!benches[@]}"; do
		b=${benches[$(((i + r - 1) % ${#benches[@]}))]}
		"$tmp/qovery.test" -test.run '^$' -test.benchmem -test.benchtime "$BENCHTIME" \
			-test.bench "^Benchmark$b\$" | grep '^Benchmark' | tee -a "$raw"
	done
done
"$tmp/qovery.test" -test.run '^$' -test.benchmem -test.benchtime "$BENCHTIME" -test.count 3 \
	-test.bench '^BenchmarkBackups10k$' | grep '^Benchmark' | tee -a "$raw"
echo

# stat NAME UNIT: median of UNIT over every run of BenchmarkNAME.
stat() {
	awk -v name="Benchmark$1" -v unit="$2" '{
		n = $1; sub(/-[0-9]+$/, "", n)
		if (n != name) next
		for (i = 3; i < NF; i += 2) if ($(i+1) == unit) print $i
	}' "$raw" | median
}

# --- regeneration -----------------------------------------------------------
# A copy of the inputs without the generated files, so that regen generates
# and writes them all, as after a change to the spec; the code written by
# hand in qovery/ goes with it, since regen checks what it needs of the spec.
echo "== regeneration (go run ./cmd/regen, build cache warm)"
"$GO" build -o /dev/null ./cmd/regen
regen_times=()
for r in 1 2 3; do
	root=$tmp/regen$r
	mkdir -p "$root/api" "$root/gen" "$root/qovery"
	cp go.mod go.sum "$root/"
	cp api/openapi.yaml "$root/api/"
	cp gen/oapi-codegen.yaml "$root/gen/"
	cp qovery/*.go "$root/qovery/"
	rm -f "$root/qovery/"*.gen.go
	timed "$tmp/regen$r.time" "$GO" run ./cmd/regen -root "$root"
	regen_times+=("$(cut -d' ' -f1 "$tmp/regen$r.time")")
done
regen_wall=$(printf '%s\n' "${regen_times[@]}" | median)
regen_rss=$(cut -d' ' -f2 "$tmp/regen1.time")
if cmp -s "$tmp/regen1/gen/qovery.gen.go" gen/qovery.gen.go; then
	echo "gen/qovery.gen.go is what the spec generates"
else
	echo "note: gen/qovery.gen.go differs from what the spec generates (run make regen)"
fi
echo "wall: ${regen_times[*]} s"
echo

# --- cold build -------------------------------------------------------------
# A build cache holding the standard library and the third-party packages gen
# and qovery import, but none of the module's own packages.
echo "== cold build of ./gen and ./qovery"
module=$("$GO" list -m)
warm=$tmp/gocache-warm
mkdir -p "$warm"
GOCACHE=$warm "$GO" build std
deps=$("$GO" list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' ./gen ./qovery | grep -v "^$module\(/\|$\)" || true)
if [ -n "$deps" ]; then
	# shellcheck disable=SC2086 # one import path per word
	GOCACHE=$warm "$GO" build $deps
fi
build_times=()
build_rss=()
for r in $(seq "$BUILDS"); do
	cache=$tmp/gocache$r
	cp -a "$warm" "$cache"
	timed "$tmp/build$r.time" env GOCACHE="$cache" "$GO" build ./gen ./qovery
	build_times+=("$(cut -d' ' -f1 "$tmp/build$r.time")")
	build_rss+=("$(cut -d' ' -f2 "$tmp/build$r.time")")
	chmod -R u+w "$cache"
	rm -rf "$cache"
done
build_wall=$(printf '%s\n' "${build_times[@]}" | median)
build_peak=$(printf '%s\n' "${build_rss[@]}" | sort -g | tail -1)
echo "wall: ${build_times[*]} s; peak RSS: ${build_rss[*]} KB"
echo

# --- summary ----------------------------------------------------------------
f_ns=$(stat GetDatabaseFacade ns/op)
g_ns=$(stat GetDatabaseGen ns/op)
b_ns=$(stat GetDatabaseBare ns/op)
w_ns=$(stat GetDatabaseWire ns/op)
f_al=$(stat GetDatabaseFacade allocs/op)
g_al=$(stat GetDatabaseGen allocs/op)
b_al=$(stat GetDatabaseBare allocs/op)
w_al=$(stat GetDatabaseWire allocs/op)
f_by=$(stat GetDatabaseFacade B/op)
g_by=$(stat GetDatabaseGen B/op)
b_by=$(stat GetDatabaseBare B/op)
w_by=$(stat GetDatabaseWire B/op)
mf_ns=$(stat GetDatabaseInMemory/Facade ns/op)
mg_ns=$(stat GetDatabaseInMemory/Gen ns/op)
mb_ns=$(stat GetDatabaseInMemory/Bare ns/op)
mf_al=$(stat GetDatabaseInMemory/Facade allocs/op)
mg_al=$(stat GetDatabaseInMemory/Gen allocs/op)
mb_al=$(stat GetDatabaseInMemory/Bare allocs/op)
mf_by=$(stat GetDatabaseInMemory/Facade B/op)
mg_by=$(stat GetDatabaseInMemory/Gen B/op)
mb_by=$(stat GetDatabaseInMemory/Bare B/op)
n_ns=$(stat RoundTripNoop ns/op)
l_ns=$(stat RoundTripLayers ns/op)
n_al=$(stat RoundTripNoop allocs/op)
l_al=$(stat RoundTripLayers allocs/op)
n_by=$(stat RoundTripNoop B/op)
l_by=$(stat RoundTripLayers B/op)
k_ns=$(stat Backups10k ns/op)
k_by=$(stat Backups10k B/op)
k_al=$(stat Backups10k allocs/op)
k_pages=$(stat Backups10k held-pages)
k_live=$(stat Backups10k peak-live-B)

# pathratio NAME CLIENT UNIT: the median of the client's UNIT over Bare's,
# for BenchmarkNAME's two sub-benchmarks.
pathratio() {
	awk -v a="$(stat "$1/$2" "$3")" -v b="$(stat "$1/Bare" "$3")" 'BEGIN { printf "%.2f", a / b }'
}
p_get=$(pathratio PathGet Do ns/op)
p_list=$(pathratio PathList100 Service ns/op)
p_post=$(pathratio PathPost Service ns/op)
p_get_b=$(pathratio PathGet Do B/op)
p_list_b=$(pathratio PathList100 Service B/op)
p_post_b=$(pathratio PathPost Service B/op)
p_worst=$(printf '%s\n' "$p_get" "$p_list" "$p_post" | sort -g | tail -1)
p_worst_b=$(printf '%s\n' "$p_get_b" "$p_list_b" "$p_post_b" | sort -g | tail -1)

# verdict A B: "met" when A <= B.
verdict() { if awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; then echo met; else echo MISSED; fi; }
ratio=$(awk -v a="$f_ns" -v b="$b_ns" 'BEGIN { printf "%.3f", a / b }')
mratio=$(awk -v a="$mf_ns" -v b="$mb_ns" 'BEGIN { printf "%.3f", a / b }')
client_al=$(awk -v a="$f_al" -v b="$w_al" 'BEGIN { print a - b }')
layer_al=$(awk -v a="$l_al" -v b="$n_al" 'BEGIN { print a - b }')

echo "== summary (medians)"
cat <<TABLE
| benchmark | ns/op | B/op | allocs/op |
| --- | ---: | ---: | ---: |
| GetDatabaseFacade | $f_ns | $f_by | $f_al |
| GetDatabaseGen | $g_ns | $g_by | $g_al |
| GetDatabaseBare | $b_ns | $b_by | $b_al |
| GetDatabaseWire (server's share) | $w_ns | $w_by | $w_al |
| GetDatabaseInMemory/Facade | $mf_ns | $mf_by | $mf_al |
| GetDatabaseInMemory/Gen | $mg_ns | $mg_by | $mg_al |
| GetDatabaseInMemory/Bare | $mb_ns | $mb_by | $mb_al |
| RoundTripNoop | $n_ns | $n_by | $n_al |
| RoundTripLayers | $l_ns | $l_by | $l_al |
| Backups10k | $k_ns | $k_by | $k_al |

| target | measured | |
| --- | --- | --- |
| Facade <= 1.15x Bare, ns/op | ${ratio}x (in memory, client CPU only: ${mratio}x) | $(verdict "$ratio" 1.15) |
| Facade <= 150 allocs per call | $client_al client-side ($f_al in process, of which $w_al the test server's) | $(verdict "$client_al" 150) |
| auth + retry layers <= 2 allocs | +$layer_al allocs, +$(awk -v a="$l_by" -v b="$n_by" 'BEGIN { print a - b }') B | $(verdict "$layer_al" 2) |
| regeneration <= 5 s | $regen_wall s (peak RSS $((regen_rss / 1024)) MiB) | $(verdict "$regen_wall" 5) |
| cold build of gen + qovery <= 7 s | $build_wall s (peak RSS $((build_peak / 1024)) MiB) | $(verdict "$build_wall" 7) |
| 10k backups hold at most one page | $k_pages page(s), live heap +$k_live B | $(verdict "$k_pages" 1) |
| services and Do <= 1.05x Bare in memory, ns/op | GET ${p_get}x, list of 100 ${p_list}x, POST ${p_post}x | $(verdict "$p_worst" 1.05) |
| services and Do <= 1.05x Bare in memory, B/op | GET ${p_get_b}x, list of 100 ${p_list_b}x, POST ${p_post_b}x | $(verdict "$p_worst_b" 1.05) |
TABLE
