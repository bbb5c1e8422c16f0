#!/usr/bin/env bash
# Weft against Jetty 12.1 and Tomcat 11, one server at a time, on 127.0.0.1 only.
#
#   benchmarks/run.sh                      # all four: weft-core weft-servlet jetty tomcat
#   benchmarks/run.sh jetty weft-servlet   # some of them
#   QUICK=1 benchmarks/run.sh              # 2 s warm-up, 3 x 3 s runs, 2,000 idle connections, 3 starts
#   SCALING=1 benchmarks/run.sh weft-core  # plaintext at 1, 64, 256 and 1,024 connections, and
#                                          # 10,000 and 19,000 idle ones (SCALE_CONNS, SCALE_IDLE)
#
# The server runs pinned to CPU 0 and every client (wrk, the idle-connection client, the startup
# probe) to CPU 1, so the two never compete for a core. Every duration is an environment variable
# (see below). Results go to benchmarks/results/: a Markdown table and an SVG chart named by date
# and JDK, and the raw outputs under results/raw/. The script stops only the processes it started,
# by PID, and every step has a time limit, so it always ends by itself.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
JAR=$HERE/target/weft-bench.jar

if [[ "${QUICK:-0}" == 1 ]]; then
    : "${WARMUP:=2}" "${DURATION:=3}" "${RUNS:=3}" "${IDLE_CONNS:=2000}" "${STARTS:=3}" "${HOLD:=6}"
fi
WARMUP=${WARMUP:-10}          # seconds of wrk before each scenario's measured runs
DURATION=${DURATION:-10}      # seconds per measured wrk run
RUNS=${RUNS:-3}               # measured runs per scenario
CONNS=${CONNS:-64}            # wrk connections for A, B and C
IDLE_CONNS=${IDLE_CONNS:-10000}  # scenario D
HOLD=${HOLD:-10}              # seconds the idle client holds its connections (Jetty closes idle ones after 30)
STARTS=${STARTS:-5}           # scenario E
PORT=${PORT:-18080}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-}  # empty: every server runs with the JVM's defaults
SCALING=${SCALING:-0}
SCALE_CONNS=${SCALE_CONNS:-1 64 256 1024}
# The most idle connections one process may hold is its open-file limit; raise the hard limit
# (ulimit -Hn, as root outside a container) to go further.
SCALE_IDLE=${SCALE_IDLE:-10000 19000}

ALL_SERVERS=(weft-core weft-servlet jetty tomcat)
if [[ $# -gt 0 ]]; then SERVERS=("$@"); else SERVERS=("${ALL_SERVERS[@]}"); fi

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- tools -------------------------------------------------------------------------------------

java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F= '/java.specification.version/ {gsub(/ /, "", $2); print $2}'; }

# The JDK 25 the build's toolchain finds, else JAVA_HOME when it is 21 or newer.
find_java() {
    if [[ -n "${BENCH_JAVA:-}" ]]; then echo "$BENCH_JAVA"; return; fi
    local j
    for j in /usr/lib/jvm/*25*/bin/java; do
        [[ -x "$j" ]] && { echo "$j"; return; }
    done
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
        local v; v=$(java_major "$JAVA_HOME/bin/java")
        [[ "${v%%.*}" -ge 21 ]] && { echo "$JAVA_HOME/bin/java"; return; }
    fi
    die "no JDK 25 under /usr/lib/jvm and no JAVA_HOME of 21 or newer (or set BENCH_JAVA)"
}
JAVA=$(find_java)
JDK_BIN=$(dirname "$JAVA")
JCMD=$JDK_BIN/jcmd
[[ -x "$JCMD" ]] || die "no jcmd beside $JAVA"
JDK_VERSION=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F= '/java.runtime.version/ {gsub(/ /, "", $2); print $2}')
JDK_MAJOR=$(java_major "$JAVA")
JDK_MAJOR=${JDK_MAJOR%%.*}

if ! command -v wrk >/dev/null; then
    log "installing wrk"
    if [[ $(id -u) == 0 ]]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
    else
        die "wrk is not installed (apt-get install wrk)"
    fi
fi
command -v taskset >/dev/null || die "taskset is missing (util-linux)"
command -v python3 >/dev/null || die "python3 is needed for the report"

if [[ ! -f "$JAR" || "${REBUILD:-0}" == 1 ]]; then
    log "building $JAR"
    (cd "$ROOT" && mvn -B -q -pl benchmarks -am package -DskipTests) || die "build failed"
fi

# Everything runs from a private copy: a build that rewrites target/weft-bench.jar while a server
# runs from it would make that server fail to load classes.
RUN_DIR=$(mktemp -d /tmp/weft-bench.XXXXXX)
RUN_JAR=$RUN_DIR/weft-bench.jar
cp "$JAR" "$RUN_JAR"

# Scenario D holds thousands of sockets in each process.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
MOST_IDLE=$IDLE_CONNS
if [[ "$SCALING" == 1 ]]; then
    for n in $SCALE_IDLE; do (( n > MOST_IDLE )) && MOST_IDLE=$n; done
fi
[[ $(ulimit -n) -gt $((MOST_IDLE + 500)) ]] || die "open-file limit $(ulimit -n) is too low for $MOST_IDLE connections"

# --- processes ---------------------------------------------------------------------------------

STARTED=()  # every PID this script started; only these are ever signalled
cleanup() {
    local pid
    for pid in "${STARTED[@]}"; do
        kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null || true
    done
    sleep 0.5
    for pid in "${STARTED[@]}"; do
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$RUN_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Stops one process we started: TERM, up to 10 s, then KILL.
stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

server_args() {
    case "$1" in
        weft-core) echo "--server weft --mode core" ;;
        weft-servlet) echo "--server weft --mode servlet" ;;
        jetty) echo "--server jetty" ;;
        tomcat) echo "--server tomcat" ;;
        *) die "unknown server $1 (one of: ${ALL_SERVERS[*]})" ;;
    esac
}

SERVER_PID=
start_server() {
    local name=$1 out=$2 i
    for i in $(seq 100); do port_free && break; sleep 0.1; done
    port_free || die "port $PORT is taken"
    # shellcheck disable=SC2046,SC2086
    # The log is capped: a server that logs per request must not fill the disk (it shows in log_errors).
    taskset -c "$SERVER_CPU" "$JAVA" $SERVER_JAVA_OPTS -jar "$RUN_JAR" --port "$PORT" $(server_args "$name") \
        > >(stdbuf -o0 head -c 1048576 >"$out") 2>&1 &
    SERVER_PID=$!
    STARTED+=("$SERVER_PID")
    for i in $(seq 600); do
        grep -qs '^weft-bench ready' "$out" && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || die "$name exited during startup: $(tail -5 "$out")"
        sleep 0.1
    done
    die "$name not ready within 60 s"
}

# wrk on the client CPU; $1 names the output file, the rest are wrk's arguments.
run_wrk() {
    local out=$1; shift
    timeout -k 5 $((DURATION > WARMUP ? DURATION + 60 : WARMUP + 60)) \
        taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNS" --latency --timeout 5s "$@" >"$out" 2>&1 \
        || log "wrk exited with $? (see $out)"
}

scenario_wrk() {
    local name=$1 scenario=$2; shift 2
    log "$name $scenario: ${WARMUP}s warm-up, ${RUNS} x ${DURATION}s"
    run_wrk "$RAW/$name-$scenario-warmup.txt" -d"${WARMUP}s" "$@"
    local i
    for i in $(seq "$RUNS"); do
        run_wrk "$RAW/$name-$scenario-run$i.txt" -d"${DURATION}s" "$@"
        log "  run $i: $(awk '/Requests\/sec/ {print $2}' "$RAW/$name-$scenario-run$i.txt") req/s"
    done
}

status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# Java heap in use (kB) as GC.heap_info reports it: the generations, not the metaspace.
heap_used_kb() {
    "$JCMD" "$1" GC.heap_info | grep -E 'total' | grep -viE 'metaspace|class space' \
        | grep -oE 'used [0-9]+K' | awk '{s += $2} END {print s + 0}'
}

# After a full GC: VmRSS (what the brief asks for), live heap, and thread count.
measure() {
    "$JCMD" "$SERVER_PID" GC.run >/dev/null
    sleep 1
    echo "$(status_kb "$SERVER_PID" VmRSS) $(heap_used_kb "$SERVER_PID") $(status_kb "$SERVER_PID" Threads)"
}

scenario_idle() {
    local name=$1 out=$RAW/$name-D.txt clients=$RAW/$name-D-clients.txt
    log "$name D: $IDLE_CONNS idle keep-alive connections"
    local before during
    read -r -a before <<<"$(measure)"
    taskset -c "$CLIENT_CPU" timeout -k 5 $((HOLD + 180)) "$JAVA" -Xss256k -jar "$RUN_JAR" idle-clients --port "$PORT" \
        --connections "$IDLE_CONNS" --hold-seconds "$HOLD" >"$clients" 2>&1 &
    local cpid=$! i
    STARTED+=("$cpid")
    # The line ends in "ready" only once it is whole.
    for i in $(seq 1800); do
        grep -qs '^HELD .* ready$' "$clients" && break
        kill -0 "$cpid" 2>/dev/null || break
        sleep 0.1
    done
    local held
    held=$(awk '/^HELD .* ready$/ {print $2, $3, $4}' "$clients")
    [[ -n "$held" ]] || log "  the idle client did not report: $(tail -3 "$clients")"
    read -r -a during <<<"$(measure)"
    wait "$cpid" 2>/dev/null || true
    {
        echo "connections=$IDLE_CONNS"
        echo "held=${held:-none}"
        echo "rss_before_kb=${before[0]}"
        echo "rss_during_kb=${during[0]}"
        echo "heap_before_kb=${before[1]}"
        echo "heap_during_kb=${during[1]}"
        echo "threads_before=${before[2]}"
        echo "threads_during=${during[2]}"
        echo "released=$(awk '/^RELEASED/ {print $2}' "$clients")"
    } >"$out"
    log "  $held; RSS ${before[0]} -> ${during[0]} kB; heap ${before[1]} -> ${during[1]} kB; threads ${before[2]} -> ${during[2]}"
}

scenario_startup() {
    local name=$1
    log "$name E: $STARTS starts to the first 200"
    local i
    for i in $(seq 100); do port_free && break; sleep 0.1; done
    # shellcheck disable=SC2046,SC2086
    taskset -c "$CLIENT_CPU" timeout -k 5 $((STARTS * 80 + 30)) "$JAVA" -jar "$RUN_JAR" startup --port "$PORT" --runs "$STARTS" -- \
        taskset -c "$SERVER_CPU" "$JAVA" $SERVER_JAVA_OPTS -jar "$RUN_JAR" --port "$PORT" $(server_args "$name") \
        >"$RAW/$name-E.txt" 2>&1 || log "startup probe exited with $?"
    log "  $(tail -1 "$RAW/$name-E.txt")"
}

# E again with the class data a training start leaves behind, the same flags for every server so
# the rows compare like with like: one start writes it, then the measured starts map it.
#   cds: an application class-data-sharing archive (-XX:+AutoCreateSharedArchive), as `./weft`
#        starts Weft.
#   aot: JDK 25's ahead-of-time cache (JEP 483, 514): classes loaded and linked and lambdas
#        resolved in the training start, written when it exits.
scenario_startup_archived() {
    local name=$1 kind=$2 file train use
    case "$kind" in
        cds) file=$RAW/$name.jsa; train="-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$file"; use=$train ;;
        aot) file=$RAW/$name.aot; train="-XX:AOTCacheOutput=$file"; use="-XX:AOTCache=$file" ;;
    esac
    log "$name E ($kind): a training start, then $STARTS starts to the first 200"
    local i
    for i in $(seq 100); do port_free && break; sleep 0.1; done
    # shellcheck disable=SC2046,SC2086
    taskset -c "$CLIENT_CPU" timeout -k 5 110 "$JAVA" -jar "$RUN_JAR" startup --port "$PORT" --runs 1 -- \
        taskset -c "$SERVER_CPU" "$JAVA" $train $SERVER_JAVA_OPTS -jar "$RUN_JAR" --port "$PORT" $(server_args "$name") \
        >"$RAW/$name-E-$kind-training.txt" 2>&1 || log "startup probe exited with $?"
    for i in $(seq 100); do port_free && break; sleep 0.1; done
    # shellcheck disable=SC2046,SC2086
    taskset -c "$CLIENT_CPU" timeout -k 5 $((STARTS * 80 + 30)) "$JAVA" -jar "$RUN_JAR" startup --port "$PORT" --runs "$STARTS" -- \
        taskset -c "$SERVER_CPU" "$JAVA" $use $SERVER_JAVA_OPTS -jar "$RUN_JAR" --port "$PORT" $(server_args "$name") \
        >"$RAW/$name-E-$kind.txt" 2>&1 || log "startup probe exited with $?"
    rm -f "$file"
    log "  $(tail -1 "$RAW/$name-E-$kind.txt")"
}

# --- run ---------------------------------------------------------------------------------------

STAMP=$(date +%Y-%m-%dT%H%M)
TAG="$STAMP-jdk$JDK_VERSION"
RESULTS=$HERE/results
RAW=$RESULTS/raw/$TAG
mkdir -p "$RAW"
{
    echo "date=$(date -Iseconds)"
    echo "jdk=$JDK_VERSION"
    echo "java=$JAVA"
    echo "wrk=$(wrk -v 2>&1 | head -1)"
    echo "cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "cpus=$(nproc)"
    echo "kernel=$(uname -r)"
    echo "warmup_s=$WARMUP"
    echo "duration_s=$DURATION"
    echo "runs=$RUNS"
    echo "connections=$CONNS"
    echo "idle_connections=$IDLE_CONNS"
    echo "starts=$STARTS"
    echo "server_cpu=$SERVER_CPU"
    echo "client_cpu=$CLIENT_CPU"
    echo "server_java_opts=$SERVER_JAVA_OPTS"
    echo "servers=${SERVERS[*]}"
    echo "loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$RAW/meta.txt"
log "JDK $JDK_VERSION; results in $RAW"

URL=http://127.0.0.1:$PORT
if [[ "$SCALING" == 1 ]]; then
    echo "scaling=1" >>"$RAW/meta.txt"
    echo "scale_conns=$SCALE_CONNS" >>"$RAW/meta.txt"
    echo "scale_idle=$SCALE_IDLE" >>"$RAW/meta.txt"
    SERVER_JAVA_OPTS="$SERVER_JAVA_OPTS -Dbench.maxConnections=$((MOST_IDLE + 1000))"
    for name in "${SERVERS[@]}"; do
        server_args "$name" >/dev/null
        log "== $name (scaling)"
        start_server "$name" "$RAW/$name-server.log"
        for c in $SCALE_CONNS; do
            CONNS=$c scenario_wrk "$name" "S$c" "$URL/plaintext"
        done
        for n in $SCALE_IDLE; do
            IDLE_CONNS=$n scenario_idle "$name"
            mv "$RAW/$name-D.txt" "$RAW/$name-idle$n-D.txt"
            mv "$RAW/$name-D-clients.txt" "$RAW/$name-idle$n-D-clients.txt"
        done
        stop_pid "$SERVER_PID"
        sleep 0.2
    done
    echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RAW/meta.txt"
    python3 "$HERE/report.py" "$RAW" --out "$RESULTS/$TAG-scaling" --scaling
    log "wrote $RESULTS/$TAG-scaling.md"
    exit 0
fi
for name in "${SERVERS[@]}"; do
    server_args "$name" >/dev/null
    echo "loadavg_before_$name=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RAW/meta.txt"
    log "== $name"
    start_server "$name" "$RAW/$name-server.log"
    scenario_wrk "$name" A "$URL/plaintext"
    scenario_wrk "$name" B -s "$HERE/wrk/echo-1k.lua" "$URL/echo"
    scenario_wrk "$name" C -H "Connection: close" "$URL/plaintext"
    scenario_idle "$name"
    stop_pid "$SERVER_PID"
    sleep 0.2
    echo "log_errors_$name=$(grep -cE 'Exception|Error' "$RAW/$name-server.log" || true)" >>"$RAW/meta.txt"
    scenario_startup "$name"
    scenario_startup_archived "$name" cds
    if [[ "$JDK_MAJOR" -ge 25 ]]; then
        scenario_startup_archived "$name" aot
    fi
done
echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RAW/meta.txt"

python3 "$HERE/report.py" "$RAW" --out "$RESULTS/$TAG" --readme "$HERE/README.md"
log "wrote $RESULTS/$TAG.md and $RESULTS/$TAG.svg"
