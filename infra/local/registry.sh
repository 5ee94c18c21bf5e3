#!/usr/bin/env bash
# Two local container registries (Debian's docker-registry, distribution 2.8) for the
# images service.
#
#   infra/local/registry.sh install  apt-install docker-registry, openssl and apache2-utils where missing
#   infra/local/registry.sh start    install if missing, create keys/secrets once, write configs,
#                                    start both registries detached, wait until each answers /v2/
#   infra/local/registry.sh stop     SIGTERM both if running
#   infra/local/registry.sh status   print whether they run (exit 0 both running, 3 otherwise)
#   infra/local/registry.sh env      print the KEY=value lines up.sh puts in .local/env
#
#   CAAS_REGISTRY_PORT    the platform registry's port on 127.0.0.1 (default 55000)
#   CAAS_REGISTRY2_PORT   the second registry's port on 127.0.0.1 (default 55001)
#   CAAS_GATEWAY_PORT     the gateway's port (default 8080): the platform registry sends
#                         clients there for tokens and posts its events there
#
# The platform registry ("platform", on CAAS_REGISTRY_PORT) is the one the images service
# owns: token auth with JWTs the images service signs (realm = the gateway's
# /v1/registry/token), and a notification endpoint `caas` posting to the gateway's
# /v1/registry/events with `Authorization: Bearer <notify secret>`.
# The second registry ("second", on CAAS_REGISTRY2_PORT) stands in for another region or
# a foreign registry: basic auth (htpasswd, user `mirror`), no notifications.
#
# All under <repo>/.local/registry:
#   token/key.pem, token/cert.pem   RSA-2048 key the images service signs registry tokens with,
#                                   and its self-signed certificate (CN=caas-images, 10 years),
#                                   the platform registry's rootcertbundle. Created once.
#   notify-secret                   bearer secret of the notification endpoint (0600, created once)
#   mirror-password, mirror.htpasswd  the second registry's user `mirror` (0600, created once)
#   platform/, second/              per registry: config.yml (generated; rewritten on start while
#                                   stopped), data/, registry.log, registry.pid
#
# Runs the registries as the invoking user (root is fine); installing needs root.

set -euo pipefail

# shellcheck source=infra/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CAAS_LOG_TAG=registry

REGISTRY_BIN=/usr/bin/docker-registry
REG_BASE="$CAAS_LOCAL_DIR/registry"
TOKEN_DIR="$REG_BASE/token"
TOKEN_KEY="$TOKEN_DIR/key.pem"
TOKEN_CERT="$TOKEN_DIR/cert.pem"
NOTIFY_SECRET_FILE="$REG_BASE/notify-secret"
MIRROR_USER=mirror
MIRROR_PASSWORD_FILE="$REG_BASE/mirror-password"
MIRROR_HTPASSWD="$REG_BASE/mirror.htpasswd"
# the names the images service and the registry agree on (also in .local/env)
TOKEN_SERVICE=caas-registry
TOKEN_ISSUER=caas-images
REGISTRIES=(platform second)
REG_START_TIMEOUT=20
REG_STOP_TIMEOUT=30

REG_PORT_platform="${CAAS_REGISTRY_PORT:-55000}"
REG_PORT_second="${CAAS_REGISTRY2_PORT:-55001}"
GATEWAY_PORT="${CAAS_GATEWAY_PORT:-8080}"

for _p in CAAS_REGISTRY_PORT:"$REG_PORT_platform" CAAS_REGISTRY2_PORT:"$REG_PORT_second" CAAS_GATEWAY_PORT:"$GATEWAY_PORT"; do
  if ! [[ "${_p#*:}" =~ ^[0-9]{1,5}$ ]] || ((10#${_p#*:} < 1 || 10#${_p#*:} > 65535)); then
    die "${_p%%:*} must be a TCP port number (1-65535), got '${_p#*:}'"
  fi
done
unset _p
((10#$REG_PORT_platform != 10#$REG_PORT_second)) || die "CAAS_REGISTRY_PORT and CAAS_REGISTRY2_PORT must differ (both are $REG_PORT_platform)"

# per-registry paths and port: reg_port NAME, reg_dir NAME, ...
reg_port() { local v="REG_PORT_$1" && printf '%s' "$((10#${!v}))"; }
reg_dir() { printf '%s' "$REG_BASE/$1"; }
reg_conf() { printf '%s' "$REG_BASE/$1/config.yml"; }
reg_pid_file() { printf '%s' "$REG_BASE/$1/registry.pid"; }
reg_log() { printf '%s' "$REG_BASE/$1/registry.log"; }
reg_label() { [[ "$1" == platform ]] && echo "platform registry" || echo "second registry"; }

# --- install -----------------------------------------------------------------

# Installs what is missing: the registry, openssl (key, certificate, secrets) and
# apache2-utils (htpasswd -B: the registry only accepts bcrypt entries).
do_install() {
  local -a missing=()
  [[ -x "$REGISTRY_BIN" ]] || missing+=(docker-registry)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
  ((${#missing[@]})) || return 0
  apt_install "${missing[@]}"
  hash -r
  [[ -x "$REGISTRY_BIN" ]] || die "apt installed docker-registry but $REGISTRY_BIN was not found"
  command -v openssl >/dev/null 2>&1 || die "apt installed openssl but no openssl binary was found"
  command -v htpasswd >/dev/null 2>&1 || die "apt installed apache2-utils but no htpasswd binary was found"
}

# --- keys and secrets (created once) -----------------------------------------

# The token key pair. Both files or neither: a key without its certificate (an
# interrupted first run) is replaced, since nothing can have used it yet.
ensure_token_key() {
  [[ -s "$TOKEN_KEY" && -s "$TOKEN_CERT" ]] && return 0
  mkdir -p "$TOKEN_DIR"
  chmod 0700 "$TOKEN_DIR"
  local tmp out
  tmp="$(mktemp -d "$TOKEN_DIR/.new.XXXXXX")"
  if ! out="$(openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
    -subj "/CN=$TOKEN_ISSUER" -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>&1)"; then
    rm -rf "$tmp"
    printf '%s\n' "$out" >&2
    die "openssl could not create the registry token key and certificate"
  fi
  chmod 0600 "$tmp/key.pem"
  chmod 0644 "$tmp/cert.pem"
  # certificate last: its presence marks a complete pair
  mv -f "$tmp/key.pem" "$TOKEN_KEY"
  mv -f "$tmp/cert.pem" "$TOKEN_CERT"
  rmdir "$tmp"
}

# ensure_secret FILE: a random 32-byte hex string (safe in YAML, URLs and .local/env
# unquoted), 0600.
ensure_secret() {
  local file="$1" tmp
  [[ -s "$file" ]] && return 0
  tmp="$(mktemp "$REG_BASE/.secret.XXXXXX")"
  chmod 0600 "$tmp"
  openssl rand -hex 32 >"$tmp" || die "openssl rand failed"
  mv -f "$tmp" "$file"
}

# The htpasswd file, (re)written whenever it does not accept the current password (first
# run, or someone replaced mirror-password). The password goes through stdin (-i), not argv.
ensure_htpasswd() {
  local pw tmp
  pw="$(<"$MIRROR_PASSWORD_FILE")"
  if [[ -s "$MIRROR_HTPASSWD" ]] &&
    printf '%s\n' "$pw" | htpasswd -vi "$MIRROR_HTPASSWD" "$MIRROR_USER" >/dev/null 2>&1; then
    return 0
  fi
  tmp="$(mktemp "$REG_BASE/.htpasswd.XXXXXX")"
  chmod 0600 "$tmp"
  printf '%s\n' "$pw" | htpasswd -niB "$MIRROR_USER" >"$tmp" 2>/dev/null || {
    rm -f "$tmp"
    die "htpasswd could not create $MIRROR_HTPASSWD"
  }
  mv -f "$tmp" "$MIRROR_HTPASSWD"
}

prepare() {
  ensure_local_dir
  mkdir -p "$REG_BASE"
  chmod 0700 "$REG_BASE"
  ensure_token_key
  ensure_secret "$NOTIFY_SECRET_FILE"
  ensure_secret "$MIRROR_PASSWORD_FILE"
  ensure_htpasswd
  local name
  for name in "${REGISTRIES[@]}"; do
    mkdir -p "$(reg_dir "$name")/data"
  done
}

# --- config ------------------------------------------------------------------

# Values are double-quoted YAML scalars; none of ours contains `"` or `\` (paths of this
# checkout, hex secrets), which is checked once here rather than escaped.
yaml_safe() { [[ "$1" != *[\"\\]* ]] || die "cannot put '$1' in a registry config (contains \" or \\)"; }

render_config() {
  local name="$1" port dir
  port="$(reg_port "$name")"
  dir="$(reg_dir "$name")"
  yaml_safe "$dir"
  yaml_safe "$REG_BASE"
  cat <<EOF
# Generated by infra/local/registry.sh; rewritten on start (only while stopped). Do not edit.
version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: "$dir/data"
  # the images service deletes manifests (and garbage collection removes the blobs)
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: "127.0.0.1:$port"
EOF
  if [[ "$name" == platform ]]; then
    local secret
    secret="$(<"$NOTIFY_SECRET_FILE")"
    yaml_safe "$secret"
    cat <<EOF
auth:
  # clients get a JWT from the gateway (signed by the images service with token/key.pem)
  token:
    realm: "http://127.0.0.1:$GATEWAY_PORT/v1/registry/token"
    service: "$TOKEN_SERVICE"
    issuer: "$TOKEN_ISSUER"
    rootcertbundle: "$TOKEN_CERT"
notifications:
  endpoints:
    - name: caas
      url: "http://127.0.0.1:$GATEWAY_PORT/v1/registry/events"
      headers:
        Authorization: ["Bearer $secret"]
      timeout: 2s
      threshold: 5
      backoff: 1s
      # blob pulls/pushes are noise to the images service; it wants manifest events
      ignoredmediatypes:
        - application/octet-stream
EOF
  else
    cat <<EOF
auth:
  htpasswd:
    realm: "caas-second"
    path: "$MIRROR_HTPASSWD"
EOF
  fi
}

# Writes the config only when its content changes.
write_config() {
  local name="$1" conf content tmp
  conf="$(reg_conf "$name")"
  content="$(render_config "$name")"
  [[ -f "$conf" && "$(<"$conf")" == "$content" ]] && return 0
  tmp="$(mktemp "$(reg_dir "$name")/.config.yml.XXXXXX")"
  printf '%s\n' "$content" >"$tmp"
  chmod 0600 "$tmp" # holds the notification secret
  mv -f "$tmp" "$conf"
}

# "127.0.0.1:PORT" -> PORT, from a config we generated, or empty
conf_port() { sed -n 's/^  addr: "127\.0\.0\.1:\([0-9]*\)"$/\1/p' "$1" 2>/dev/null | head -n 1; }

# --- state -------------------------------------------------------------------

# true when PID is a live docker-registry started with CONF (pure bash: reg_pid calls
# this for every process when scanning /proc)
is_our_server() {
  local pid="$1" conf="$2" arg
  local -a argv=()
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  { mapfile -d '' -t argv <"/proc/$pid/cmdline"; } 2>/dev/null || return 1
  ((${#argv[@]})) && [[ "${argv[0]}" == *docker-registry ]] || return 1
  for arg in "${argv[@]:1}"; do
    [[ "$arg" == "$conf" ]] && return 0
  done
  return 1
}

# reg_pid NAME: prints the pid of that registry (from its pid file, else by scanning
# /proc in case the pid file was lost) and returns 0; returns 1 if it does not run.
# Removes a stale pid file.
reg_pid() {
  local conf pid_file pid="" f
  conf="$(reg_conf "$1")"
  pid_file="$(reg_pid_file "$1")"
  [[ -f "$pid_file" ]] && pid="$(tr -dc '0-9' <"$pid_file" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && is_our_server "$pid" "$conf"; then
    printf '%s\n' "$pid"
    return 0
  fi
  for f in /proc/[0-9]*/cmdline; do
    pid="${f#/proc/}"
    pid="${pid%/cmdline}"
    if is_our_server "$pid" "$conf"; then
      printf '%s\n' "$pid" >"$pid_file"
      printf '%s\n' "$pid"
      return 0
    fi
  done
  if [[ -f "$pid_file" ]]; then
    rm -f "$pid_file"
  fi
  return 1
}

# HTTP status of GET http://127.0.0.1:PORT/v2/, or 000 when nothing answers.
v2_status() {
  curl -s -o /dev/null --max-time 2 -w '%{http_code}' "http://127.0.0.1:$1/v2/" 2>/dev/null || true
}

# Up: /v2/ answers 401 (both require auth) or 200 (an auth-less config someone wrote).
reg_up() {
  local code
  code="$(v2_status "$1")"
  [[ "$code" == 401 || "$code" == 200 ]]
}

# true when something accepts TCP connections on 127.0.0.1:PORT
# shellcheck disable=SC2016 # expanded by the inner bash
port_in_use() { timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" >/dev/null 2>&1; }

show_log_tail() {
  echo "---- last lines of $1 ----" >&2
  tail -n 30 "$1" >&2 2>/dev/null || true
}

# wait_up NAME PID [launched]: PID may still be on its way through setsid/nohup to
# docker-registry, so check liveness, not identity. With `launched`, a registry that
# does not answer in time is terminated.
wait_up() {
  local name="$1" pid="$2" port log deadline=$((SECONDS + REG_START_TIMEOUT))
  port="$(reg_port "$name")"
  log="$(reg_log "$name")"
  until reg_up "$port"; do
    if ! alive "$pid"; then
      # exited (bad config, port taken, ...): no point in waiting
      show_log_tail "$log"
      die "the $(reg_label "$name") failed to start (log: $log)"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail "$log"
      if [[ "${3:-}" == launched ]]; then
        # don't leave a half-started registry behind for the next start to find
        kill -TERM "$pid" 2>/dev/null || true
        rm -f "$(reg_pid_file "$name")"
      fi
      die "the $(reg_label "$name") did not answer http://127.0.0.1:$port/v2/ within ${REG_START_TIMEOUT}s (log: $log)"
    fi
    sleep 0.25
  done
}

# Start in its own session, detached from the caller: stdin from /dev/null, output to
# the log, no inherited descriptors above 2 (with_lock's fd 9, a caller's pipe).
# docker-registry writes no pid file of its own; the subshell execs (setsid does not
# fork: the subshell is no process group leader), so $! is the registry's pid.
launch() {
  local name="$1" conf log
  conf="$(reg_conf "$name")"
  log="$(reg_log "$name")"
  (
    close_inherited_fds
    cd /
    # The registry reads every REGISTRY_* variable as a configuration override; the
    # platform's own (REGISTRY_URL, … from .local/env) must not reach it.
    while read -r var; do unset "$var"; done < <(compgen -e | grep '^REGISTRY_' || true)
    exec setsid nohup "$REGISTRY_BIN" serve "$conf" </dev/null >>"$log" 2>&1
  ) &
  printf '%s\n' "$!" >"$(reg_pid_file "$name")"
  printf '%s\n' "$!"
}

start_one() {
  local name="$1" port conf label pid
  port="$(reg_port "$name")"
  conf="$(reg_conf "$name")"
  label="$(reg_label "$name")"

  if pid="$(reg_pid "$name")"; then
    local running
    running="$(conf_port "$conf")"
    if [[ "$running" != "$port" ]]; then
      die "the $label already runs on port ${running:-?}, but its port setting is $port; run 'infra/local/registry.sh stop' first to switch ports"
    fi
    [[ "$(<"$conf")" == "$(render_config "$name")" ]] ||
      warn "the $label runs with an older configuration; run 'infra/local/registry.sh stop' and start again to apply the current one"
    wait_up "$name" "$pid"
    info "$label already running on 127.0.0.1:$port"
    return 0
  fi

  # someone else (another checkout, a docker-compose registry, ...) on our port?
  if port_in_use "$port"; then
    die "something already accepts connections on 127.0.0.1:$port; set CAAS_REGISTRY_PORT / CAAS_REGISTRY2_PORT to free ports"
  fi

  write_config "$name"
  printf '\n==== %s starting docker-registry (%s) ====\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$conf" >>"$(reg_log "$name")"
  pid="$(launch "$name")"
  wait_up "$name" "$pid" launched
  info "$label started on 127.0.0.1:$port (data: $(reg_dir "$name")/data)"
}

stop_one() {
  local name="$1" pid label
  label="$(reg_label "$name")"
  if ! pid="$(reg_pid "$name")"; then
    info "$label not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + REG_STOP_TIMEOUT))
  while is_our_server "$pid" "$(reg_conf "$name")"; do
    if ((SECONDS >= deadline)); then
      show_log_tail "$(reg_log "$name")"
      die "the $label (pid $pid) did not exit within ${REG_STOP_TIMEOUT}s of SIGTERM (log: $(reg_log "$name"))"
    fi
    sleep 0.2
  done
  rm -f "$(reg_pid_file "$name")"
  info "$label stopped"
}

# --- commands ----------------------------------------------------------------

do_start() {
  do_install
  prepare
  local name
  for name in "${REGISTRIES[@]}"; do
    start_one "$name"
  done
}

do_stop() {
  local name
  for name in "${REGISTRIES[@]}"; do
    stop_one "$name"
  done
}

do_status() {
  local name pid port label rc=0
  for name in "${REGISTRIES[@]}"; do
    label="$(reg_label "$name")"
    if pid="$(reg_pid "$name")"; then
      local up=""
      port="$(conf_port "$(reg_conf "$name")")"
      reg_up "${port:-0}" || up=" (not answering /v2/ yet)"
      info "$label running (pid $pid) on 127.0.0.1:${port:-?}$up, data $(reg_dir "$name")/data"
    else
      info "$label not running (config $(reg_conf "$name"))"
      rc=3
    fi
  done
  return "$rc"
}

# The .local/env lines; needs the secrets, so only after a start.
do_env() {
  [[ -s "$NOTIFY_SECRET_FILE" && -s "$MIRROR_PASSWORD_FILE" ]] ||
    die "no secrets in $REG_BASE yet; run 'infra/local/registry.sh start' first"
  cat <<EOF
REGISTRY_URL=http://127.0.0.1:$(reg_port platform)
REGISTRY_SERVICE=$TOKEN_SERVICE
REGISTRY_ISSUER=$TOKEN_ISSUER
REGISTRY_TOKEN_KEY_PATH=$TOKEN_KEY
REGISTRY_TOKEN_CERT_PATH=$TOKEN_CERT
REGISTRY_NOTIFY_SECRET=$(<"$NOTIFY_SECRET_FILE")
SECOND_REGISTRY_URL=http://127.0.0.1:$(reg_port second)
SECOND_REGISTRY_USERNAME=$MIRROR_USER
SECOND_REGISTRY_PASSWORD=$(<"$MIRROR_PASSWORD_FILE")
EOF
}

main() {
  case "${1:-}" in
  install) with_lock registry do_install ;;
  start) with_lock registry do_start ;;
  stop) with_lock registry do_stop ;;
  status) do_status ;;
  env) do_env ;;
  *)
    echo "usage: $0 install|start|stop|status|env" >&2
    exit 2
    ;;
  esac
}

main "$@"
