#!/usr/bin/env bash
# Runs the installed Fleetwire agent: <prefix>/bin/fleetwire-agent, put there by packaging/linux/install.sh.
#
#   fleetwire-agent          one run, exec'd (systemd's Restart=always restarts it)
#   fleetwire-agent --loop   restarts the agent itself (containers, machines without systemd)
#
# Before each start it finishes or undoes a self-update (docs/agent.md, "Update and rollback"): while
# <prefix>/update-pending names the version that `current` points to, every start counts one attempt;
# once FLEETWIRE_UPDATE_MAX_STARTS (3) starts went by without the new version confirming (it removes
# the marker once the hub has welcomed it), `current` is switched back to the previous version, and
# the marker says why, so that the previous version reports the command failed ("rolled back: …").
set -uo pipefail

PREFIX="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
CONF="$PREFIX/agent.conf"
MARKER="$PREFIX/update-pending"
EXIT_UPDATE=75   # the agent exits with this after switching `current` to a new version
MAX_STARTS="${FLEETWIRE_UPDATE_MAX_STARTS:-3}"

if [[ ! -r "$CONF" ]]; then
  echo "fleetwire-agent: $CONF is missing; run packaging/linux/install.sh first" >&2
  exit 2
fi
# shellcheck source=/dev/null
. "$CONF"
: "${JAVA:?agent.conf sets no JAVA}" "${FLEETWIRE_HUB:?agent.conf sets no FLEETWIRE_HUB}" \
  "${FLEETWIRE_STATE_DIR:?agent.conf sets no FLEETWIRE_STATE_DIR}"
# The lean options of ./fleetwire agent (docs/benchmarks.md), from the same file the launcher reads
# (fleetwire-agent/agent.jvm-options, installed as <prefix>/agent.jvm-options): one option a line,
# "NN: option" only on JDK NN or newer. FLEETWIRE_JAVA_OPTS replaces them.
jvm_options() {
  local file="$PREFIX/agent.jvm-options" major line
  if [[ ! -r "$file" ]]; then
    echo "fleetwire-agent: $file is missing; running with the JVM's default options" >&2
    return 0
  fi
  major="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1)"
  while IFS= read -r line || [[ -n "$line" ]]; do
    line="${line%%#*}"; line="${line#"${line%%[![:space:]]*}"}"; line="${line%"${line##*[![:space:]]}"}"
    [[ -z "$line" ]] && continue
    if [[ "$line" =~ ^([0-9]+):[[:space:]]*(.+)$ ]]; then
      [[ -n "$major" && "$major" -ge "${BASH_REMATCH[1]}" ]] && printf '%s\n' "${BASH_REMATCH[2]}"
    else
      printf '%s\n' "$line"
    fi
  done <"$file"
  return 0
}
DEFAULT_JAVA_OPTS="$(jvm_options | tr '\n' ' ')"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

marker_get() {  # marker_get KEY: the value of KEY= in the marker, or nothing
  sed -n "s/^$1=//p" "$MARKER" 2>/dev/null | head -1
}

marker_set() {  # marker_set KEY VALUE: replaces (or adds) one line, atomically
  local tmp="$MARKER.run.$$"
  { grep -v "^$1=" "$MARKER"; echo "$1=$2"; } >"$tmp" && sync "$tmp" 2>/dev/null; mv -f "$tmp" "$MARKER"
}

switch_to() {  # switch_to VERSION: points `current` at versions/VERSION with one rename
  local tmp="$PREFIX/.current.run.$$"
  ln -sfn "versions/$1" "$tmp" && mv -Tf "$tmp" "$PREFIX/current"
}

prepare() {
  [[ -f "$MARKER" ]] || return 0
  local to from attempts rolled
  to="$(marker_get to)"; from="$(marker_get from)"; attempts="$(marker_get attempts)"; rolled="$(marker_get rolledBack)"
  [[ "$attempts" =~ ^[0-9]+$ ]] || attempts=0
  if [[ -n "$rolled" || -z "$to" || "$(readlink "$PREFIX/current")" != "versions/$to" ]]; then
    return 0  # nothing to count: the running version reports the marker
  fi
  if (( attempts >= MAX_STARTS )); then
    if [[ -n "$from" && -f "$PREFIX/versions/$from/fleetwire-agent.jar" ]]; then
      echo "fleetwire-agent: version $to did not confirm after $attempts starts; switching back to $from" >&2
      switch_to "$from"
      marker_set rolledBack "version $to did not come up (no confirmation after $attempts starts); back on $from"
    else
      echo "fleetwire-agent: version $to did not confirm, and $PREFIX/versions/$from is gone: cannot roll back" >&2
    fi
    return 0
  fi
  marker_set attempts $((attempts + 1))
}

agent_command() {
  # shellcheck disable=SC2206
  local opts=(${FLEETWIRE_JAVA_OPTS:-$DEFAULT_JAVA_OPTS})
  CMD=("$JAVA" "${opts[@]}" -jar "$PREFIX/current/fleetwire-agent.jar" --hub "$FLEETWIRE_HUB"
       --state-dir "$FLEETWIRE_STATE_DIR" --install-dir "$PREFIX")
}

if [[ "${1:-}" != "--loop" ]]; then
  prepare
  agent_command
  exec "${CMD[@]}"
fi

child=0
trap 'if (( child > 0 )); then kill -TERM "$child" 2>/dev/null; wait "$child"; fi; exit 0' TERM INT
while true; do
  prepare
  agent_command
  "${CMD[@]}" &
  child=$!
  wait "$child"
  rc=$?
  child=0
  case "$rc" in
    0|2) exit "$rc" ;;                     # stopped, or a configuration error that a restart cannot fix
    "$EXIT_UPDATE") ;;                       # a new version is in place: start it now
    *) echo "fleetwire-agent: agent exited with $rc; restarting in 10 s" >&2; sleep 10 ;;
  esac
done
