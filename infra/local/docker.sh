#!/usr/bin/env bash
# Several local Docker engines on this one machine, each standing in for one
# Docker host of the scheduling service, plus the offline base image.
#
#   infra/local/docker.sh start    install (apt) if missing, start CAAS_DOCKER_HOSTS engines detached,
#                                  wait until each answers, import caas/busybox:1 where missing
#   infra/local/docker.sh stop     SIGTERM every engine, wait, remove leftovers (containerd, shims,
#                                  containers, mounts) and the engines' bridges
#   infra/local/docker.sh status   print whether they run (exit 0 all running, 3 otherwise)
#   infra/local/docker.sh hosts    print the DOCKER_HOSTS value (unix://...host-1.sock,...)
#
#   CAAS_DOCKER_HOSTS              number of engines (default 3, at most 20)
#   CAAS_DOCKER_STORAGE_DRIVER     storage driver (default overlay2; vfs works everywhere but copies
#                                  every layer)
#
# Per engine N (host-N), all under <repo>/.local/docker/host-N:
#   data/         --data-root (images, containers, volumes; the managed containerd's root)
#   exec/         --exec-root (runtime state, the managed containerd's socket and state)
#   dockerd.log   daemon (and managed containerd) log
#   dockerd.pid   --pidfile
#   daemon.json   own config file, so /etc/docker/daemon.json does not apply
#   key.json      engine identity (Docker < 23), so each engine has its own `docker info` ID
# API socket:     <repo>/.local/docker/host-N.sock (with a long repository path, it and exec/
#                 live under /run/caas-docker-<hash>/ instead; see below)
# Identity:       engine label caas.host=host-N (`docker info` .Labels), own engine ID;
#                 containers go to cgroup /caas-host-N
# Network:        default bridge caas-docker-N = 10.210.N.1/24, user-defined networks from
#                 10.(210+N).0.0/16 in /24s, so no two engines ever hand out the same subnet.
#                 Bridge names and subnets are machine-wide: run one checkout's engines at a time.
# containerd:     each dockerd runs its own (managed) containerd under its exec-root; containerd
#                 namespaces caas-host-N / caas-host-N-plugins keep them apart even if a system
#                 containerd at /run/containerd/containerd.sock is used instead (dockerd prefers
#                 one when it runs).
#
# Networking is local only: the engines run with --iptables=false --ip-masq=false
# --ip-forward=false. Published ports (-p 127.0.0.1:P:C) are served by docker-proxy (the
# userland proxy) from this machine to the container over the engine's bridge; containers
# cannot reach other machines, nor the other engines' bridges (nothing routes between them).
# Why no iptables: the engines would share this machine's single set of iptables chains
# (DOCKER, DOCKER-ISOLATION-STAGE-*), and every engine flushes and rebuilds those chains
# when it starts, wiping the rules of the engines already running. Without forwarding, every
# `docker run` prints the daemon's "IPv4 forwarding is disabled" warning: expected here.
#
# stop waits for each engine to stop its containers: a container whose PID 1 ignores SIGTERM
# (e.g. busybox httpd) takes its 10 s stop timeout.
#
# Must run as root (dockerd needs it).

set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=infra/local/lib.sh
source "$HERE/lib.sh"
CAAS_LOG_TAG=docker

DOCKER_N="${CAAS_DOCKER_HOSTS:-3}"
DOCKER_MAX_HOSTS=20
STORAGE_DRIVER="${CAAS_DOCKER_STORAGE_DRIVER:-overlay2}"
DOCKER_BASE="$CAAS_LOCAL_DIR/docker"
DOCKER_START_TIMEOUT=60
DOCKER_STOP_TIMEOUT=60
BUILDER="$CAAS_REPO_ROOT/infra/docker/build-busybox-image.sh"
IMAGE=caas/busybox:1
IMAGE_LABEL=caas.image.inputs

if ! [[ "$DOCKER_N" =~ ^[0-9]{1,2}$ ]] || ((10#$DOCKER_N < 1 || 10#$DOCKER_N > DOCKER_MAX_HOSTS)); then
  die "CAAS_DOCKER_HOSTS must be a number from 1 to $DOCKER_MAX_HOSTS, got '$DOCKER_N'"
fi
DOCKER_N=$((10#$DOCKER_N))
[[ "$STORAGE_DRIVER" =~ ^[a-z0-9_-]+$ ]] || die "CAAS_DOCKER_STORAGE_DRIVER must be a storage driver name such as overlay2 or vfs, got '$STORAGE_DRIVER'"

# Unix socket paths are limited to 108 bytes (107 plus the terminating NUL).
# The longest socket an engine creates is its managed containerd's
# <exec-root>/containerd/containerd.sock.ttrpc. When the repository path is too
# long for that, the exec-roots and the API sockets move to a short directory
# under /run named after a hash of the repository path (one per checkout);
# everything else stays under .local/docker. The decision is made for a
# two-digit host number, so it does not depend on CAAS_DOCKER_HOSTS.
_longest="$DOCKER_BASE/host-$DOCKER_MAX_HOSTS/exec/containerd/containerd.sock.ttrpc"
if ((${#_longest} <= 107)); then
  DOCKER_RUN_BASE="$DOCKER_BASE"
else
  DOCKER_RUN_BASE="/run/caas-docker-$(printf '%s' "$CAAS_REPO_ROOT" | sha256sum | cut -c1-12)"
fi
unset _longest

host_dir() { printf '%s/host-%s' "$DOCKER_BASE" "$1"; }
host_exec() { printf '%s/host-%s/exec' "$DOCKER_RUN_BASE" "$1"; }
host_sock() { printf '%s/host-%s.sock' "$DOCKER_RUN_BASE" "$1"; }
host_url() { printf 'unix://%s' "$(host_sock "$1")"; }
host_bridge() { printf 'caas-docker-%s' "$1"; }
host_bridge_cidr() { printf '10.210.%s.1/24' "$1"; }
host_ns() { printf 'caas-host-%s' "$1"; }
host_log() { printf '%s/dockerd.log' "$(host_dir "$1")"; }
host_pidfile() { printf '%s/dockerd.pid' "$(host_dir "$1")"; }
host_config() { printf '%s/daemon.json' "$(host_dir "$1")"; }

# numbers of the hosts that have a state directory (engines that ever ran), sorted
known_hosts() {
  local d
  for d in "$DOCKER_BASE"/host-[0-9]*/; do
    [[ -d "$d" ]] || continue
    d="${d%/}"
    d="${d##*/host-}"
    [[ "$d" =~ ^[0-9]+$ ]] && printf '%s\n' "$d"
  done | sort -n
}

# the DOCKER_HOSTS value: unix://...host-1.sock,unix://...host-2.sock,...
hosts_value() {
  local n out=""
  for ((n = 1; n <= DOCKER_N; n++)); do
    out+="${out:+,}$(host_url "$n")"
  done
  printf '%s\n' "$out"
}

# "1 engine", "3 engines"
engines() { if (($1 == 1)); then echo "1 engine"; else echo "$1 engines"; fi; }

# host-{1..3} style summary of the socket paths, for the one-line messages
sockets_summary() {
  if ((DOCKER_N == 1)); then
    host_url 1
  else
    printf 'unix://%s/host-{1..%s}.sock' "$DOCKER_RUN_BASE" "$DOCKER_N"
  fi
}

# --- binaries ----------------------------------------------------------------

find_bin() {
  local name="$1" d
  command -v "$name" 2>/dev/null && return 0
  for d in /usr/sbin /usr/bin /sbin /bin; do
    [[ -x "$d/$name" ]] && { echo "$d/$name"; return 0; }
  done
  return 0
}

busybox_static_installed() {
  [[ "$(dpkg-query -W -f='${Status}' busybox-static 2>/dev/null)" == "install ok installed" ]]
}

# Sets DOCKERD_BIN and DOCKER_BIN; installs what is missing with apt.
resolve_bins() {
  local -a missing=()
  [[ -n "$(find_bin dockerd)" && -n "$(find_bin docker)" ]] || missing+=(docker.io)
  [[ -n "$(find_bin containerd)" ]] || missing+=(containerd)
  [[ -n "$(find_bin runc)" ]] || missing+=(runc)
  [[ -n "$(find_bin ip)" ]] || missing+=(iproute2)
  busybox_static_installed || missing+=(busybox-static)
  if ((${#missing[@]})); then
    apt_install "${missing[@]}"
    hash -r
  fi
  DOCKERD_BIN="$(find_bin dockerd)"
  DOCKER_BIN="$(find_bin docker)"
  [[ -n "$DOCKERD_BIN" && -n "$DOCKER_BIN" ]] || die "no dockerd/docker binary found (even after installing docker.io)"
  [[ -n "$(find_bin containerd)" && -n "$(find_bin runc)" ]] || die "no containerd/runc binary found (even after installing containerd, runc)"
  busybox_static_installed || die "busybox-static is not installed (apt-get install busybox-static)"
  # "Docker version 20.10.24+dfsg1, build 297e128" -> 20
  DOCKERD_MAJOR="$("$DOCKERD_BIN" --version 2>/dev/null | sed -n 's/^Docker version \([0-9][0-9]*\)\..*/\1/p')"
  [[ -n "$DOCKERD_MAJOR" ]] || die "cannot tell the version of $DOCKERD_BIN ('$("$DOCKERD_BIN" --version 2>&1 | head -n 1)')"
}

# docker CLI against engine N, killed after DK_TIMEOUT seconds if that is set.
# The environment's DOCKER_HOST / DOCKER_CONTEXT must not redirect it to
# another daemon.
dk() {
  local n="$1"
  shift
  local -a pre=()
  [[ -n "${DK_TIMEOUT:-}" ]] && pre=(timeout "$DK_TIMEOUT")
  "${pre[@]}" env -u DOCKER_HOST -u DOCKER_CONTEXT -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH \
    "${DOCKER_BIN:-docker}" -H "$(host_url "$n")" "$@"
}

# --- processes ---------------------------------------------------------------

# argv of PID into the array named by $2; false if PID is gone
read_argv() {
  local -n _argv="$2"
  _argv=()
  [[ "$1" =~ ^[0-9]+$ ]] || return 1
  { mapfile -d '' -t _argv <"/proc/$1/cmdline"; } 2>/dev/null || return 1
  ((${#_argv[@]}))
}

# The full dockerd command line of engine N (also what identifies it).
dockerd_args() {
  local n="$1"
  DOCKERD_ARGS=(
    "$DOCKERD_BIN"
    "--config-file=$(host_config "$n")"
    "--host=$(host_url "$n")"
    "--data-root=$(host_dir "$n")/data"
    "--exec-root=$(host_exec "$n")"
    "--pidfile=$(host_pidfile "$n")"
    "--containerd-namespace=$(host_ns "$n")"
    "--containerd-plugins-namespace=$(host_ns "$n")-plugins"
    "--cgroup-parent=/$(host_ns "$n")"
    "--storage-driver=$STORAGE_DRIVER"
    "--bridge=$(host_bridge "$n")"
    "--default-address-pool=base=10.$((210 + n)).0.0/16,size=24"
    --iptables=false
    --ip-masq=false
    --ip-forward=false
    --userland-proxy=true
    "--label=caas.host=host-$n"
    --log-opt=max-size=10m
    --log-opt=max-file=3
  )
}

# Engine N's own config file. Passing it keeps /etc/docker/daemon.json out;
# the settings are flags (dockerd_args), except for one that has no flag:
# before Docker 23 the engine ID (`docker info` .ID) derives from a trust key
# that defaults to /etc/docker/key.json, i.e. one ID for every engine on this
# machine. Docker 23+ keeps a random ID in the data-root and dropped the key.
render_host_config() {
  if ((DOCKERD_MAJOR < 23)); then
    printf '{\n  "deprecated-key-path": "%s/key.json"\n}\n' "$(host_dir "$1")"
  else
    printf '{}\n'
  fi
}

# true when PID is a live dockerd of engine N (identified by its --config-file)
is_our_dockerd() {
  local pid="$1" n="$2" arg
  local -a argv
  read_argv "$pid" argv || return 1
  [[ "${argv[0]}" == *dockerd ]] || return 1
  for arg in "${argv[@]:1}"; do
    [[ "$arg" == "--config-file=$(host_config "$n")" ]] && return 0
  done
  return 1
}

# Prints the pid of engine N's dockerd and returns 0, or returns 1 if it does
# not run. Uses the pid file, else scans /proc (pid file lost). Removes a stale
# pid file: dockerd refuses to start while its pid file names a live process,
# which after a crash may be an unrelated one that got the pid.
dockerd_pid() {
  local n="$1" pidf pid="" f
  pidf="$(host_pidfile "$n")"
  [[ -f "$pidf" ]] && pid="$(tr -dc '0-9' <"$pidf" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && is_our_dockerd "$pid" "$n"; then
    printf '%s\n' "$pid"
    return 0
  fi
  for f in /proc/[0-9]*/cmdline; do
    pid="${f#/proc/}"
    pid="${pid%/cmdline}"
    if is_our_dockerd "$pid" "$n"; then
      printf '%s\n' "$pid" >"$pidf"
      printf '%s\n' "$pid"
      return 0
    fi
  done
  if [[ -f "$pidf" ]]; then
    rm -f "$pidf"
  fi
  return 1
}

# Pids of engine N's other processes that can outlive its dockerd: its managed
# containerd (config under the exec-root), the containerd shims of its
# namespace, and the containers those shims run (their children).
leftover_pids() {
  local n="$1" f pid prev arg exec ns stat ppid
  local -a argv shims=()
  local -A is_shim=()
  exec="$(host_exec "$n")/"
  ns="$(host_ns "$n")"
  for f in /proc/[0-9]*/cmdline; do
    pid="${f#/proc/}"
    pid="${pid%/cmdline}"
    read_argv "$pid" argv || continue
    [[ "${argv[0]##*/}" == containerd* ]] || continue
    prev=""
    for arg in "${argv[@]:1}"; do
      if [[ "$arg" == "$exec"* || ("$prev" == -namespace && "$arg" == "$ns") ]]; then
        [[ "${argv[0]##*/}" == containerd-shim* ]] && { shims+=("$pid"); is_shim[$pid]=1; }
        printf '%s\n' "$pid"
        break
      fi
      prev="$arg"
    done
  done
  ((${#shims[@]})) || return 0
  for f in /proc/[0-9]*/stat; do
    stat="$(cat "$f" 2>/dev/null)" || continue
    stat="${stat##*) }"
    ppid="$(cut -d' ' -f2 <<<"$stat")"
    if [[ -n "${is_shim[$ppid]:-}" ]]; then
      pid="${f#/proc/}"
      printf '%s\n' "${pid%/stat}"
    fi
  done
}

show_log_tail() {
  local logf
  logf="$(host_log "$1")"
  echo "---- last lines of $logf ----" >&2
  tail -n 30 "$logf" >&2 2>/dev/null || true
}

# --- setup -------------------------------------------------------------------

prepare_dirs() {
  local n="$1" d
  ensure_local_dir
  mkdir -p "$DOCKER_BASE" "$DOCKER_RUN_BASE"
  d="$(host_dir "$n")"
  mkdir -p "$d" "$d/data" "$(host_exec "$n")"
  chmod 0711 "$d/data" "$(host_exec "$n")"
  local conf content
  conf="$(host_config "$n")"
  content="$(render_host_config "$n")"
  [[ -f "$conf" && "$(<"$conf")" == "$content" ]] || printf '%s\n' "$content" >"$conf"
}

# The engine's default bridge, created here because --bridge names an existing
# one (dockerd only creates docker0 itself, and that name would be shared).
ensure_bridge() {
  local n="$1" br cidr net routes
  br="$(host_bridge "$n")"
  cidr="$(host_bridge_cidr "$n")"
  net="10.210.$n.0/24"
  routes="$(ip -o -4 route show to exact "$net" 2>/dev/null | grep -v " dev $br " || true)"
  [[ -z "$routes" ]] || die "subnet $net (bridge of host-$n) is already routed elsewhere on this machine: $routes"
  if ! ip link show dev "$br" >/dev/null 2>&1; then
    ip link add name "$br" type bridge || die "could not create bridge $br (needs CAP_NET_ADMIN and the bridge kernel module)"
  fi
  if ! ip -o -4 addr show dev "$br" | grep -qF " inet $cidr "; then
    ip addr flush dev "$br"
    ip addr add "$cidr" dev "$br"
  fi
  ip link set dev "$br" up
}

delete_bridge() {
  local br
  br="$(host_bridge "$1")"
  if ip link show dev "$br" >/dev/null 2>&1; then
    ip link delete "$br" 2>/dev/null || warn "could not delete bridge $br"
  fi
}

# Start engine N's dockerd in its own session, detached from the caller: stdin
# from /dev/null, output to its log, no inherited file descriptors other than
# 0-2 (in particular not with_lock's fd 9, nor a caller's pipe). Prints the pid.
launch() {
  local n="$1" logf
  logf="$(host_log "$n")"
  dockerd_args "$n"
  printf '\n==== %s starting dockerd host-%s ====\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$n" >>"$logf"
  (
    close_inherited_fds
    cd /
    # dockerd finds containerd, runc and docker-proxy on PATH
    export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}"
    exec setsid nohup "${DOCKERD_ARGS[@]}" </dev/null >>"$logf" 2>&1
  ) &
  printf '%s\n' "$!"
}

engine_ready() { DK_TIMEOUT=10 dk "$1" info --format '{{.ID}}' >/dev/null 2>&1; }

# wait_ready N PID [launched]: until `docker info` answers. PID may still be on
# its way through setsid/nohup to dockerd, so check liveness, not identity.
# With `launched`, an engine that does not come up in time is terminated.
wait_ready() {
  local n="$1" pid="$2" deadline=$((SECONDS + DOCKER_START_TIMEOUT))
  until engine_ready "$n"; do
    if ! alive "$pid"; then
      show_log_tail "$n"
      die "dockerd host-$n failed to start (log: $(host_log "$n"))"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail "$n"
      if [[ "${3:-}" == launched ]]; then
        kill -TERM "$pid" 2>/dev/null || true
      fi
      die "dockerd host-$n did not answer on $(host_url "$n") within ${DOCKER_START_TIMEOUT}s (log: $(host_log "$n"))"
    fi
    sleep 0.25
  done
}

# --- image -------------------------------------------------------------------

# Hash of what the image is made of (builder script and busybox binary); kept
# as a label, so a changed builder or busybox upgrade re-imports the image.
image_inputs_hash() {
  printf 'sha256:%s' "$(cat "$BUILDER" /bin/busybox | sha256sum | cut -d' ' -f1)"
}

# the image's inputs label on engine N, empty when the image is missing
image_label() {
  dk "$1" image inspect --format "{{index .Config.Labels \"$IMAGE_LABEL\"}}" "$IMAGE" 2>/dev/null || true
}

# Runs busybox httpd inside a throwaway container and fetches its index page
# through the container's loopback: proves image, runtime and networking.
smoke_test() {
  local n="$1" out
  # shellcheck disable=SC2016 # runs in the container's shell
  if ! out="$(DK_TIMEOUT=60 dk "$n" run --rm "$IMAGE" sh -c 'httpd -p 127.0.0.1:8080 -h /www && wget -q -O - http://127.0.0.1:8080/' 2>&1)" ||
    [[ "$out" != *"$IMAGE"* ]]; then
    printf '%s\n' "$out" >&2
    show_log_tail "$n"
    die "$IMAGE does not serve HTTP on host-$n (docker run failed, see above)"
  fi
}

# Imports $IMAGE into every engine where it is missing or built from other
# inputs. Sets IMPORTED_INTO to the engines it was imported into.
ensure_image() {
  local want n old tar out
  local -a need=()
  IMPORTED_INTO=()
  want="$(image_inputs_hash)"
  for ((n = 1; n <= DOCKER_N; n++)); do
    [[ "$(image_label "$n")" == "$want" ]] || need+=("$n")
  done
  ((${#need[@]})) || return 0
  tar="$(mktemp "$DOCKER_BASE/.caas-busybox.XXXXXX.tar")"
  if ! out="$(bash "$BUILDER" "$tar" 2>&1)"; then
    rm -f "$tar"
    printf '%s\n' "$out" >&2
    die "building the $IMAGE root filesystem failed ($BUILDER)"
  fi
  for n in "${need[@]}"; do
    old="$(dk "$n" image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
    if ! out="$(dk "$n" import --change 'CMD ["sh"]' --change "LABEL $IMAGE_LABEL=$want" \
      --message "infra/docker/build-busybox-image.sh" "$tar" "$IMAGE" 2>&1)"; then
      rm -f "$tar"
      printf '%s\n' "$out" >&2
      die "docker import of $IMAGE into host-$n failed"
    fi
    smoke_test "$n"
    # the previous build, now untagged (kept if a container still uses it)
    if [[ -n "$old" && "$old" != "$(dk "$n" image inspect --format '{{.Id}}' "$IMAGE")" ]]; then
      dk "$n" image rm "$old" >/dev/null 2>&1 || true
    fi
    IMPORTED_INTO+=("host-$n")
  done
  rm -f "$tar"
}

# --- stopping ----------------------------------------------------------------

# Unmounts whatever is still mounted below engine N's directories (overlay
# rootfs, netns and shm bind mounts left behind by a killed dockerd), deepest
# first.
cleanup_mounts() {
  local n="$1" mp p
  local -a prefixes mps=()
  prefixes=("$(host_dir "$n")/" "$(host_exec "$n")/")
  while read -r _ _ _ _ mp _; do
    mp="$(printf '%b' "${mp//\\/\\0}")" # mountinfo escapes as \ooo
    for p in "${prefixes[@]}"; do
      [[ "$mp" == "$p"* ]] && mps+=("$mp") && break
    done
  done </proc/self/mountinfo
  ((${#mps[@]})) || return 0
  printf '%s\n' "${mps[@]}" | sort -r -u | while IFS= read -r mp; do
    umount -l "$mp" 2>/dev/null || warn "could not unmount $mp"
  done
}

# SIGTERM, then SIGKILL after TIMEOUT seconds; waits until all are gone.
terminate() {
  local timeout="$1" pid deadline
  shift
  (($#)) || return 0
  kill -TERM "$@" 2>/dev/null || true
  deadline=$((SECONDS + timeout))
  for pid in "$@"; do
    while alive "$pid"; do
      if ((SECONDS >= deadline)); then
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.1
        continue
      fi
      sleep 0.1
    done
  done
}

# Removes what a dead engine N left behind. Prints nothing; returns 0 if
# there was something to clean.
cleanup_leftovers() {
  local n="$1" pid
  local -a pids=() containers=() others=() argv=()
  mapfile -t pids < <(leftover_pids "$n")
  if ((${#pids[@]})); then
    # containers first (SIGKILL: there is no engine left to stop them
    # gracefully), then shims and containerd
    for pid in "${pids[@]}"; do
      if read_argv "$pid" argv 2>/dev/null && [[ "${argv[0]##*/}" == containerd* ]]; then
        others+=("$pid")
      else
        containers+=("$pid")
      fi
    done
    if ((${#containers[@]})); then
      kill -KILL "${containers[@]}" 2>/dev/null || true
    fi
    terminate 10 "${others[@]}" "${containers[@]}"
  fi
  cleanup_mounts "$n"
  ((${#pids[@]}))
}

# --- commands ----------------------------------------------------------------

do_start() {
  [[ "$EUID" -eq 0 ]] || die "dockerd needs root: run this script as root"
  resolve_bins
  [[ -f "$BUILDER" ]] || die "image builder $BUILDER is missing"

  local n pid
  local -a running=() launched=() pids=() argv=()
  local -A pid_of=()
  for ((n = 1; n <= DOCKER_N; n++)); do
    prepare_dirs "$n"
    if pid="$(dockerd_pid "$n")"; then
      running+=("host-$n")
      pid_of[$n]="$pid"
      read_argv "$pid" argv || true
      dockerd_args "$n"
      [[ "${argv[*]}" == "${DOCKERD_ARGS[*]}" ]] ||
        warn "host-$n runs with an older configuration; run 'infra/local/docker.sh stop' and start again to apply the current one"
      continue
    fi
    ensure_bridge "$n"
    pid="$(launch "$n")"
    launched+=("$n")
    pid_of[$n]="$pid"
  done
  # engines beyond CAAS_DOCKER_HOSTS keep running until stop
  for n in $(known_hosts); do
    ((n > DOCKER_N)) && dockerd_pid "$n" >/dev/null &&
      warn "host-$n is running but CAAS_DOCKER_HOSTS is $DOCKER_N; 'infra/local/docker.sh stop' stops it"
  done

  for ((n = 1; n <= DOCKER_N; n++)); do
    if [[ " ${launched[*]} " == *" $n "* ]]; then
      wait_ready "$n" "${pid_of[$n]}" launched
    else
      wait_ready "$n" "${pid_of[$n]}"
    fi
    pids+=("$(dockerd_pid "$n" || echo "?")")
  done

  ensure_image

  local driver
  driver="$(dk 1 info --format '{{.Driver}}' 2>/dev/null || echo '?')"
  local what image="image $IMAGE"
  ((${#IMPORTED_INTO[@]})) && image="$IMAGE imported into ${IMPORTED_INTO[*]}"
  if ((${#launched[@]} == 0)); then
    what="already running: $(engines "$DOCKER_N")"
  elif ((${#running[@]} == 0)); then
    what="started $(engines "$DOCKER_N")"
  else
    what="started $(printf 'host-%s ' "${launched[@]}")(${running[*]} already running); $(engines "$DOCKER_N")"
  fi
  info "$what on $(sockets_summary) (pids ${pids[*]}), storage $driver, $image"
}

do_stop() {
  local n pid
  local -a hosts=() stopped=() cleaned=() pids=()
  mapfile -t hosts < <(known_hosts)
  if ((${#hosts[@]} == 0)); then
    info "not running"
    return 0
  fi
  [[ "$EUID" -eq 0 ]] || die "stopping dockerd needs root: run this script as root"

  # SIGTERM all engines at once: each stops its containers (up to its 15 s
  # shutdown timeout) and then its containerd.
  local -A pid_of=()
  for n in "${hosts[@]}"; do
    if pid="$(dockerd_pid "$n")"; then
      kill -TERM "$pid" 2>/dev/null || true
      pid_of[$n]="$pid"
      pids+=("$pid")
    fi
  done
  local deadline=$((SECONDS + DOCKER_STOP_TIMEOUT))
  for n in "${hosts[@]}"; do
    [[ -n "${pid_of[$n]:-}" ]] || continue
    while is_our_dockerd "${pid_of[$n]}" "$n"; do
      if ((SECONDS >= deadline)); then
        show_log_tail "$n"
        die "dockerd host-$n (pid ${pid_of[$n]}) did not exit within ${DOCKER_STOP_TIMEOUT}s of SIGTERM (log: $(host_log "$n"))"
      fi
      sleep 0.2
    done
    stopped+=("host-$n")
  done

  for n in "${hosts[@]}"; do
    if cleanup_leftovers "$n" && [[ -z "${pid_of[$n]:-}" ]]; then
      cleaned+=("host-$n")
    fi
    rm -f "$(host_pidfile "$n")"
    delete_bridge "$n"
  done

  local msg
  if ((${#stopped[@]})); then
    msg="stopped $(engines "${#stopped[@]}") (${stopped[*]})"
  else
    msg="not running"
  fi
  ((${#cleaned[@]})) && msg+="; removed leftovers of crashed ${cleaned[*]}"
  info "$msg"
}

do_status() {
  local n pid
  local -a up=() down=() notready=() extra=()
  for ((n = 1; n <= DOCKER_N; n++)); do
    if pid="$(dockerd_pid "$n")"; then
      if engine_ready "$n"; then
        up+=("host-$n:$pid")
      else
        notready+=("host-$n")
      fi
    else
      down+=("host-$n")
    fi
  done
  for n in $(known_hosts); do
    ((n > DOCKER_N)) && dockerd_pid "$n" >/dev/null && extra+=("host-$n")
  done
  local tail=""
  ((${#extra[@]})) && tail=", also running beyond CAAS_DOCKER_HOSTS: ${extra[*]}"
  if ((${#up[@]} == DOCKER_N)); then
    info "running: $(engines "$DOCKER_N") (${up[*]}) on $(sockets_summary)$tail"
    return 0
  fi
  if ((${#up[@]} == 0 && ${#notready[@]} == 0)); then
    info "not running ($(engines "$DOCKER_N") configured, state $DOCKER_BASE)$tail"
    return 3
  fi
  local msg="partly running: ${#up[@]}/$DOCKER_N engines answer"
  ((${#up[@]})) && msg+=" (${up[*]})"
  ((${#notready[@]})) && msg+=", not answering: ${notready[*]}"
  ((${#down[@]})) && msg+=", not running: ${down[*]}"
  info "$msg$tail"
  return 3
}

main() {
  case "${1:-}" in
  start) with_lock docker do_start ;;
  stop) with_lock docker do_stop ;;
  status) do_status ;;
  hosts) hosts_value ;;
  *)
    echo "usage: $0 start|stop|status|hosts" >&2
    exit 2
    ;;
  esac
}

main "$@"
