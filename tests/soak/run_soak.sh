#!/usr/bin/env bash
# Soak test of the headless mode (issue 5): streams generated listings at full speed and checks peak
# memory against the per-listing budget of issue 4 (32 bytes per accepted listing + 64 MiB).
#
#   tests/soak/run_soak.sh [ROWS...]          (default: 10M 50M 100M; k/M/G suffixes allowed)
#
# For each size: es_gen_listings writes ROWS rows (seed and dirty fraction below), then
# `estatestream --headless INPUT --export OUT.csv --rate 0` runs on them under /usr/bin/time; the
# script prints rows, wall time, rows/s, accepted listings, peak RSS, RSS bytes per accepted listing,
# (RSS - 64 MiB) per accepted listing and whether the peak is within 32 B x accepted + 64 MiB.
# The largest run is also sampled while it streams (every 0.1 s: bytes consumed, VmHWM, VmRSS from
# /proc), and the peak so far is recorded when it has consumed as many bytes as each smaller size
# holds (the generator's output for N rows is a prefix of its output for more rows), so one long
# stream shows how memory grows from 10M to 50M to 100M rows. The reading runs ahead of the
# parsing by at most a few MiB (one read block plus the chunks in flight), ~0.1 % of 10M rows.
#
# Input modes (ES_SOAK_MODE):
#   file  each size is generated to a file, streamed, then deleted (ES_SOAK_KEEP=1 keeps it);
#         100M rows take ~17 GB, so this needs that much free space in ES_SOAK_DIR
#   fifo  the generator writes into a named pipe that the app reads (no disk). NOTE: with the
#         FileSource of this revision a FIFO fails at its end with "... was truncated while being
#         read": its size is 0, which the truncation check takes for a cut file. The script says so
#         and still reports the peak RSS (every row was read), but no counters.
#   auto  (default) file when df shows room for the largest file plus 2 GiB, else fifo
#
# Environment:
#   ES_BUILD_DIR     build directory (default <repo>/build; configured with the release preset when
#                    missing; any Release build dir with estatestream and es_gen_listings works)
#   ES_SKIP_BUILD=1  use the binaries already built
#   ES_SOAK_DIR      working directory (default /tmp/estatestream-soak)
#   ES_SOAK_SEED     generator seed (default 2024)
#   ES_SOAK_DIRTY    generator --dirty fraction (default 0.002)
#   ES_SOAK_THREADS  --threads for the app (default: the app's default, the number of cores)
#
# Exit status: 0 when every run finished and stayed within the budget, 1 otherwise.
# Needs bash, coreutils, procps (pgrep) and /usr/bin/time (Debian package "time").
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${ES_BUILD_DIR:-$root/build}
soak_dir=${ES_SOAK_DIR:-/tmp/estatestream-soak}
mode=${ES_SOAK_MODE:-auto}
seed=${ES_SOAK_SEED:-2024}
dirty=${ES_SOAK_DIRTY:-0.002}
threads=${ES_SOAK_THREADS:-}
budget_base=$((64 * 1024 * 1024)) # bytes
budget_per_listing=32             # bytes

die() { echo "run_soak.sh: $*" >&2; exit 1; }

to_rows() { # 10M -> 10000000
    local v=$1
    case $v in
        *[kK]) echo $((${v%?} * 1000)) ;;
        *M) echo $((${v%?} * 1000000)) ;;
        *G) echo $((${v%?} * 1000000000)) ;;
        *) echo "$v" ;;
    esac
}

sizes=()
for a in "${@:-10M 50M 100M}"; do
    for s in $a; do
        n=$(to_rows "$s")
        [[ $n =~ ^[0-9]+$ && $n -gt 0 ]] || die "row counts must be positive (k/M/G allowed), got '$s'"
        sizes+=("$n")
    done
done
mapfile -t sizes < <(printf '%s\n' "${sizes[@]}" | sort -n | uniq)
largest=${sizes[-1]}
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
command -v pgrep > /dev/null || die "pgrep is missing (apt-get install procps)"

# ---- build ------------------------------------------------------------------------------------------
if [ "${ES_SKIP_BUILD:-0}" != 1 ]; then
    if [ ! -f "$build/CMakeCache.txt" ]; then
        if [ "$build" = "$root/build" ]; then
            (cd "$root" && cmake --preset release) >&2
        else
            cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
        fi
    fi
    cmake --build "$build" --target estatestream es_gen_listings -j2 >&2 || die "build failed in $build"
fi
app="$build/app/estatestream"
gen="$build/tests/es_gen_listings"
[ -x "$app" ] || die "missing $app (build target estatestream)"
[ -x "$gen" ] || die "missing $gen (build target es_gen_listings)"

mkdir -p "$soak_dir/logs"

# ---- input mode -------------------------------------------------------------------------------------
# ~175 bytes a row (the generator's lines are ~169 bytes); keep 2 GiB spare.
need=$((largest * 175 + 2 * 1024 * 1024 * 1024))
avail=$(df -B1 --output=avail "$soak_dir" | tail -n1 | tr -d ' ')
if [ "$mode" = auto ]; then
    if [ "$avail" -ge "$need" ]; then mode=file; else mode=fifo; fi
fi
[ "$mode" = file ] || [ "$mode" = fifo ] || die "ES_SOAK_MODE must be auto, file or fifo"
if [ "$mode" = file ] && [ "$avail" -lt "$need" ]; then
    die "file mode needs ~$((need / 1024 / 1024 / 1024)) GiB free in $soak_dir, $((avail / 1024 / 1024 / 1024)) GiB available (use ES_SOAK_MODE=fifo)"
fi
echo "soak: mode $mode, sizes ${sizes[*]}, seed $seed, dirty $dirty, $(nproc) cores," \
     "$((avail / 1024 / 1024 / 1024)) GiB free in $soak_dir" >&2

# ---- helpers ----------------------------------------------------------------------------------------
# The first number after "LABEL:" in the summary, or "".
summary_value() { grep -m1 -E "^$2: " "$1" 2> /dev/null | sed -E "s/^$2: ([0-9]+).*/\1/" || true; }

# Bytes the generator reported for N rows (first line of its stderr summary: "... N rows, B bytes").
gen_bytes() { head -n1 "$1" | grep -oE '[0-9]+ bytes' | head -n1 | grep -oE '^[0-9]+' || true; }

kib_of() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status" 2> /dev/null || true; }

# How far the app is in its input: file mode = offset of the input fd, fifo mode = bytes read.
consumed() { # pid input
    local pid=$1 input=$2 fd target
    if [ "$mode" = fifo ]; then
        awk '$1 == "rchar:" { print $2 }' "/proc/$pid/io" 2> /dev/null || true
        return
    fi
    for fd in /proc/"$pid"/fd/*; do
        target=$(readlink "$fd" 2> /dev/null || true)
        if [ "$target" = "$input" ]; then
            awk '$1 == "pos:" { print $2 }' "/proc/$pid/fdinfo/${fd##*/}" 2> /dev/null || true
            return
        fi
    done
}

declare -A size_bytes # rows -> bytes of the generated stream (header included)
results=()
growth=()
status=0

# ---- runs -------------------------------------------------------------------------------------------
for n in "${sizes[@]}"; do
    out="$soak_dir/export_$n.csv"
    log="$soak_dir/run_$n.log"
    timing="$soak_dir/run_$n.time"
    genlog="$soak_dir/gen_$n.log"
    gen_pid=""
    if [ "$mode" = file ]; then
        input="$soak_dir/soak_$n.csv"
        echo "generating $input ($n rows)" >&2
        "$gen" "$n" "$input" --seed "$seed" --dirty "$dirty" --threads 2 2> "$genlog" \
            || { cat "$genlog" >&2; die "generator failed"; }
        cat "$input" > /dev/null # page cache: time the app, not the disk, as far as memory allows
    else
        input="$soak_dir/soak_$n.fifo"
        rm -f "$input"
        mkfifo "$input"
        "$gen" "$n" "$input" --seed "$seed" --dirty "$dirty" --threads 2 2> "$genlog" &
        gen_pid=$!
    fi
    [ "$mode" = file ] && size_bytes[$n]=$(gen_bytes "$genlog")

    args=(--headless "$input" --export "$out" --rate 0 --log-dir "$soak_dir/logs")
    [ -n "$threads" ] && args+=(--threads "$threads")
    echo "streaming $n rows through the headless mode" >&2
    /usr/bin/time -o "$timing" -f '%e %M' "$app" "${args[@]}" > "$log" 2>&1 &
    time_pid=$!

    # Sample the largest run at the smaller sizes' byte counts.
    if [ "$n" = "$largest" ]; then
        app_pid=""
        for _ in $(seq 1 100); do
            app_pid=$(pgrep -P "$time_pid" | head -n1 || true)
            [ -n "$app_pid" ] && break
            sleep 0.05
        done
        declare -A seen=()
        while [ -n "$app_pid" ] && kill -0 "$app_pid" 2> /dev/null; do
            pos=$(consumed "$app_pid" "$input")
            hwm=$(kib_of "$app_pid" VmHWM)
            rss=$(kib_of "$app_pid" VmRSS)
            if [ -n "$pos" ] && [ -n "$hwm" ]; then
                for k in "${sizes[@]}"; do
                    [ "$k" = "$n" ] && continue
                    b=${size_bytes[$k]:-}
                    if [ -n "$b" ] && [ -z "${seen[$k]:-}" ] && [ "$pos" -ge "$b" ]; then
                        seen[$k]=1
                        growth+=("$k $pos $hwm $rss")
                    fi
                done
            fi
            sleep 0.1
        done
    fi
    app_status=0
    wait "$time_pid" || app_status=$?
    if [ -n "$gen_pid" ]; then
        wait "$gen_pid" || true
        size_bytes[$n]=$(gen_bytes "$genlog")
    fi
    read -r wall rss_kib < <(tail -n1 "$timing")
    rows=$(summary_value "$log" "rows read")
    accepted=$(summary_value "$log" "accepted")
    rejected=$(summary_value "$log" "rejected")
    note=""
    if [ "$app_status" != 0 ]; then
        status=1
        if grep -q "truncated while being read" "$log" && [ "$mode" = fifo ]; then
            note="app failed at the end of the FIFO (false 'truncated' error, see the header of this script)"
        else
            note="app exited with $app_status: $(tail -n1 "$log")"
        fi
    elif [ "${rows:-}" != "$n" ]; then
        status=1
        note="rows read ${rows:-?} != $n"
    fi
    if [ "$n" = "$largest" ]; then growth+=("$n ${size_bytes[$n]:-?} $rss_kib -"); fi
    results+=("$n $wall $rss_kib ${accepted:--} ${rejected:--} ${size_bytes[$n]:--}|$note")
    echo "rows=$n wall=${wall}s peak_rss=${rss_kib}KiB accepted=${accepted:-?} $note" >&2
    if [ "$mode" = file ] && [ "${ES_SOAK_KEEP:-0}" != 1 ]; then rm -f "$input"; fi
    [ "$mode" = fifo ] && rm -f "$input"
done

# ---- report -----------------------------------------------------------------------------------------
echo
echo "EstateStream soak: $(date -u +%Y-%m-%dT%H:%M:%SZ), mode $mode, $(nproc) cores, generator seed $seed" \
     "dirty $dirty; budget = 32 B x accepted + 64 MiB"
printf '%12s %8s %10s %12s %10s %10s %10s %14s %11s %s\n' \
    rows "wall s" "rows/s" accepted "RSS MiB" "budget MiB" "B/acc" "(RSS-64M)/acc" "within" ""
for line in "${results[@]}"; do
    note=${line#*|}
    read -r n wall rss_kib accepted rejected bytes <<< "${line%%|*}"
    verdict=$(awk -v n="$n" -v w="$wall" -v k="$rss_kib" -v a="$accepted" -v base="$budget_base" \
        -v per="$budget_per_listing" 'BEGIN {
        rss = k * 1024; rps = (w > 0) ? n / w : 0
        if (a ~ /^[0-9]+$/ && a > 0) {
            budget = per * a + base
            printf "%12d %8.2f %10.0f %12d %10.1f %10.1f %10.1f %14.1f %11s", n, w, rps, a, rss / 1048576,
                   budget / 1048576, rss / a, (rss - base) / a, (rss <= budget) ? "yes" : "NO"
        } else {
            printf "%12d %8.2f %10.0f %12s %10.1f %10s %10s %14s %11s", n, w, rps, "?", rss / 1048576, "n/a",
                   "n/a", "n/a", "unknown"
        }
    }')
    echo "$verdict ${note}"
    case $verdict in *" NO"*|*unknown*) status=1 ;; esac
done
if [ "${#sizes[@]}" -gt 1 ]; then
    echo
    echo "memory while streaming the $largest-row run (peak so far when it had consumed as many bytes as N rows):"
    printf '%12s %14s %14s %12s\n' "N rows" "bytes read" "VmHWM MiB" "VmRSS MiB"
    for g in "${growth[@]}"; do
        read -r k pos hwm rss <<< "$g"
        awk -v k="$k" -v p="$pos" -v h="$hwm" -v r="$rss" 'BEGIN {
            printf "%12d %14s %14.1f %12s\n", k, p, h / 1024, (r == "-") ? "(end)" : sprintf("%.1f", r / 1024) }'
    done
fi
exit "$status"
