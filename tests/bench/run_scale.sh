#!/usr/bin/env bash
# Scale benchmark of the headless mode on files made by the project's own generator.
#
#   tests/bench/run_scale.sh [ROWS...]        (default: 1000000 10000000)
#
# For each size: generate (or reuse) a listings file with es_gen_listings, warm the page cache, then
# time `estatestream --headless FILE --export OUT.csv --rate 0 --threads T` for each thread count with
# /usr/bin/time (median of ES_BENCH_RUNS runs) and print one table:
#   rows, threads, wall s, rows/s, MB/s (file bytes / wall, 1 MB = 10^6 B), peak RSS MiB,
#   RSS bytes per accepted listing, and (RSS - 64 MiB) per accepted listing (issue 4's memory budget
#   is 32 B per accepted listing + 64 MB).
#
# Environment:
#   ES_BENCH_DIR      where scale files and exports go   (default /tmp/estatestream-bench)
#   ES_BUILD_DIR      build directory                    (default <repo>/build, made with
#                                                          `cmake --preset release` when missing)
#   ES_SKIP_BUILD=1   use the binaries already in the build directory
#   ES_BENCH_THREADS  thread counts                      (default "1 2")
#   ES_BENCH_RUNS     runs per measurement, median taken (default 3)
#   ES_BENCH_SEED     generator seed                     (default 2024)
#   ES_BENCH_DIRTY    generator --dirty fraction         (default 0)
#
# Self-contained: needs only this repository, cmake/ninja, and /usr/bin/time (Debian package "time").
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${ES_BUILD_DIR:-$root/build}
bench_dir=${ES_BENCH_DIR:-/tmp/estatestream-bench}
threads_list=${ES_BENCH_THREADS:-"1 2"}
runs=${ES_BENCH_RUNS:-3}
seed=${ES_BENCH_SEED:-2024}
dirty=${ES_BENCH_DIRTY:-0}
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(1000000 10000000); fi

die() { echo "run_scale.sh: $*" >&2; exit 1; }

for n in "${sizes[@]}"; do
    [[ $n =~ ^[0-9]+$ && $n -gt 0 ]] || die "row counts must be positive integers, got '$n'"
done
[[ $runs =~ ^[0-9]+$ && $runs -ge 1 ]] || die "ES_BENCH_RUNS must be >= 1"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"

# ---- build ------------------------------------------------------------------------------------------
if [ "${ES_SKIP_BUILD:-0}" != 1 ]; then
    if [ ! -f "$build/CMakeCache.txt" ]; then
        if [ "$build" = "$root/build" ]; then
            (cd "$root" && cmake --preset release) >&2
        else
            cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
        fi
    fi
    cmake --build "$build" --target estatestream es_gen_listings -j2 >&2 \
        || die "build failed in $build"
fi
app="$build/app/estatestream"
gen="$build/tests/es_gen_listings"
[ -x "$app" ] || die "missing $app (build target estatestream)"
[ -x "$gen" ] || die "missing $gen (build target es_gen_listings)"

mkdir -p "$bench_dir"

# ---- helpers ----------------------------------------------------------------------------------------
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The generator's output is a pure function of (rows, seed, dirty) for a given generator source, so a
# file is reused when its stamp records the same inputs and its size is unchanged.
gen_source_id() { cksum < "$root/tests/tools/gen_listings.cpp" | cut -d' ' -f1; }

scale_file() { # rows -> path (generating it when needed)
    local n=$1 file="$bench_dir/listings_$1.csv" stamp="$bench_dir/listings_$1.csv.stamp" want
    want="rows=$n seed=$seed dirty=$dirty gen=$(gen_source_id)"
    if [ -f "$file" ] && [ -f "$stamp" ] \
        && [ "$(head -n1 "$stamp")" = "$want" ] \
        && [ "$(sed -n 2p "$stamp")" = "bytes=$(stat -c %s "$file")" ]; then
        echo "reusing $file" >&2
    else
        echo "generating $file ($n rows)" >&2
        rm -f "$stamp"
        "$gen" "$n" "$file.tmp" --seed "$seed" --dirty "$dirty" --threads 2 2> "$bench_dir/listings_$n.gen.log" \
            || { cat "$bench_dir/listings_$n.gen.log" >&2; die "generator failed"; }
        head -n1 "$bench_dir/listings_$n.gen.log" >&2
        mv "$file.tmp" "$file"
        printf '%s\nbytes=%s\n' "$want" "$(stat -c %s "$file")" > "$stamp"
    fi
    echo "$file"
}

# Accepted listings from the headless summary. The summary is expected to hold a line like
# "accepted: 812345" (thousands separators and other words on the line are tolerated); the first
# number after the word "accepted" on the first such line is taken. Empty when none is found.
parse_accepted() {
    grep -i -m1 -E '(^|[^a-z])accepted' "$1" 2>/dev/null \
        | sed -E 's/.*[Aa][Cc][Cc][Ee][Pp][Tt][Ee][Dd][^0-9]*([0-9][0-9,_ ]*).*/\1/' \
        | tr -d ',_ ' | grep -E '^[0-9]+$' || true
}

# ---- measure ----------------------------------------------------------------------------------------
export QT_QPA_PLATFORM=offscreen
results=()
note_accepted=0
for n in "${sizes[@]}"; do
    file=$(scale_file "$n")
    bytes=$(stat -c %s "$file")
    cat "$file" > /dev/null # warm the page cache
    for t in $threads_list; do
        walls=() rsss=() accepted=""
        for ((r = 1; r <= runs; ++r)); do
            out="$bench_dir/export_${n}_t${t}.csv"
            log="$bench_dir/run_${n}_t${t}.log"
            timing="$bench_dir/run_${n}_t${t}.time"
            if ! /usr/bin/time -o "$timing" -f '%e %M' \
                "$app" --headless "$file" --export "$out" --rate 0 --threads "$t" > "$log" 2>&1; then
                echo "run_scale.sh: estatestream failed on $file with --threads $t; its output:" >&2
                tail -n 20 "$log" >&2
                die "headless run failed"
            fi
            read -r wall rss_kib < <(tail -n1 "$timing")
            walls+=("$wall")
            rsss+=("$rss_kib")
            a=$(parse_accepted "$log")
            if [ -n "$accepted" ] && [ -n "$a" ] && [ "$a" != "$accepted" ]; then
                echo "run_scale.sh: warning: accepted count changed between runs ($accepted vs $a)" >&2
            fi
            accepted=${a:-$accepted}
        done
        wall=$(printf '%s\n' "${walls[@]}" | median)
        rss_kib=$(printf '%s\n' "${rsss[@]}" | median)
        [ -n "$accepted" ] || note_accepted=1
        results+=("$n $t $wall $rss_kib $bytes ${accepted:--}")
        echo "rows=$n threads=$t walls=[${walls[*]}] rss_kib=[${rsss[*]}] accepted=${accepted:-?}" >&2
    done
done

# ---- report -----------------------------------------------------------------------------------------
echo
echo "EstateStream headless scale run: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, median of $runs," \
     "warm page cache, generator seed $seed dirty $dirty"
printf '%12s %7s %8s %12s %8s %10s %12s %14s\n' \
    rows threads "wall s" "rows/s" "MB/s" "RSS MiB" "RSS B/acc" "(RSS-64M)/acc"
for line in "${results[@]}"; do
    read -r n t wall rss_kib bytes accepted <<< "$line"
    awk -v n="$n" -v t="$t" -v w="$wall" -v k="$rss_kib" -v b="$bytes" -v a="$accepted" 'BEGIN {
        rps = (w > 0) ? n / w : 0; mbs = (w > 0) ? b / w / 1e6 : 0; rss = k * 1024
        if (a ~ /^[0-9]+$/ && a > 0) { per = sprintf("%.1f", rss / a); over = sprintf("%.1f", (rss - 64 * 1048576) / a) }
        else { per = "n/a"; over = "n/a" }
        printf "%12d %7d %8.2f %12.0f %8.0f %10.1f %12s %14s\n", n, t, w, rps, mbs, rss / 1048576, per, over
    }'
done
if [ "$note_accepted" = 1 ]; then
    echo "note: no 'accepted: N' line found in the headless summary; per-listing RSS shown as n/a" \
         "(see $bench_dir/run_*.log)"
fi
