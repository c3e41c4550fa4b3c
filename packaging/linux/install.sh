#!/usr/bin/env bash
# Installs the Fleetwire agent on a Linux machine as a service (docs/agent.md). Idempotent: running it
# again with the same arguments changes nothing; with a newer jar it installs that version beside the
# others and switches `current` to it.
#
#   install.sh --hub URL (--token DEVICE_TOKEN | --enroll ENROLLMENT_TOKEN)
#              [--prefix DIR] [--state-dir DIR] [--jar FILE] [--java FILE] [--no-systemd]
#
# Layout: <prefix>/versions/<version>/fleetwire-agent.jar, <prefix>/current -> versions/<version>,
# <prefix>/bin/fleetwire-agent (the run script), <prefix>/agent.conf (hub, state dir, java).
# Exit codes: 0 done, 1 failed, 2 bad arguments, 3 no JDK 21 or newer.
set -euo pipefail

HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
MIN_JAVA=21
PREFIX=/opt/fleetwire-agent
STATE_DIR=/var/lib/fleetwire-agent
HUB="" TOKEN="" ENROLL="" JAR="" JAVA_BIN="" SYSTEMD=1

usage() {
  echo "Usage: install.sh --hub URL (--token DEVICE_TOKEN | --enroll ENROLLMENT_TOKEN)" >&2
  echo "                  [--prefix DIR] [--state-dir DIR] [--jar FILE] [--java FILE] [--no-systemd]" >&2
}

bad() {  # bad MESSAGE: a usage error; nothing has been changed
  echo "install.sh: $1" >&2
  usage
  exit 2
}

fail() {
  echo "install.sh: $1" >&2
  exit 1
}

while (( $# > 0 )); do
  case "$1" in
    --no-systemd) SYSTEMD=0; shift; continue ;;
    -h|--help) usage 2>&1; exit 0 ;;
    --hub|--token|--enroll|--prefix|--state-dir|--jar|--java)
      (( $# >= 2 )) && [[ -n "$2" && "$2" != --* ]] || bad "$1 needs a value"
      case "$1" in
        --hub) HUB="$2" ;; --token) TOKEN="$2" ;; --enroll) ENROLL="$2" ;; --prefix) PREFIX="$2" ;;
        --state-dir) STATE_DIR="$2" ;; --jar) JAR="$2" ;; --java) JAVA_BIN="$2" ;;
      esac
      shift 2 ;;
    *) bad "unknown argument '$1'" ;;
  esac
done

[[ -n "$HUB" ]] || bad "--hub URL is required"
url_re='^https?://[^[:space:]/]+(/[^[:space:]]*)?$'
[[ "$HUB" =~ $url_re ]] || bad "--hub must be an http(s):// URL, got '$HUB'"
[[ -z "$TOKEN" || -z "$ENROLL" ]] || bad "give --token or --enroll, not both"
for t in "$TOKEN" "$ENROLL"; do
  token_re='^[A-Za-z0-9_.~+/=-]{8,512}$'
  [[ -z "$t" || "$t" =~ $token_re ]] || bad "a token is 8 to 512 characters of [A-Za-z0-9_.~+/=-]"
done
[[ "$PREFIX" == /* && "$STATE_DIR" == /* ]] || bad "--prefix and --state-dir must be absolute paths"
[[ "$PREFIX" =~ ^[A-Za-z0-9._/+-]+$ && "$STATE_DIR" =~ ^[A-Za-z0-9._/+-]+$ ]] \
  || bad "--prefix and --state-dir may hold only letters, digits and . _ / + -"
if [[ -z "$TOKEN" && -z "$ENROLL" && ! -s "$STATE_DIR/device-token" && ! -s "$STATE_DIR/enrollment-token" ]]; then
  bad "give --token DEVICE_TOKEN or --enroll ENROLLMENT_TOKEN (no token kept in $STATE_DIR yet)"
fi

# A JDK 21 or newer: --java, else $JAVA_HOME, else java on the PATH.
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}
if [[ -z "$JAVA_BIN" ]]; then
  if [[ -n "${JAVA_HOME:-}" ]]; then JAVA_BIN="$JAVA_HOME/bin/java"; else JAVA_BIN="$(command -v java || true)"; fi
fi
if [[ -z "$JAVA_BIN" || ! -x "$JAVA_BIN" ]]; then
  echo "install.sh: the agent needs Java $MIN_JAVA or newer, and none was found${JAVA_BIN:+ at $JAVA_BIN}." >&2
  echo "  Install one (e.g. 'apt-get install openjdk-21-jre-headless') or give --java /path/to/bin/java." >&2
  exit 3
fi
JAVA_BIN="$(readlink -f "$JAVA_BIN")"
v="$(java_major "$JAVA_BIN")"
if [[ -z "$v" || "$v" -lt $MIN_JAVA ]]; then
  echo "install.sh: $JAVA_BIN is Java ${v:-of an unknown version}; the agent needs $MIN_JAVA or newer." >&2
  echo "  Install one (e.g. 'apt-get install openjdk-21-jre-headless') or give --java /path/to/bin/java." >&2
  exit 3
fi

# The jar: --jar, else one beside this script (a release bundle), else the build in this repository.
if [[ -z "$JAR" ]]; then
  for c in "$HERE/fleetwire-agent.jar" "$HERE/../../fleetwire-agent/target/fleetwire-agent.jar"; do
    [[ -f "$c" ]] && { JAR="$c"; break; }
  done
  [[ -n "$JAR" ]] || bad "no agent jar found: build it (./mvnw -pl fleetwire-agent -am package) or give --jar FILE"
fi
[[ -f "$JAR" ]] || bad "--jar $JAR: no such file"
VERSION="$("$JAVA_BIN" -jar "$JAR" --version 2>/dev/null | sed -n 's/^fleetwire-agent \(.*\)$/\1/p' | head -1 || true)"
[[ -n "$VERSION" ]] || fail "$JAR is not a Fleetwire agent jar ('java -jar $JAR --version' does not name a version)"
[[ "$VERSION" =~ ^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$ ]] || fail "$JAR names an unusable version '$VERSION'"

# The agent's JVM options (the launcher's too): beside this script in a release bundle, else the repository's.
OPTIONS=""
for c in "$HERE/agent.jvm-options" "$HERE/../../fleetwire-agent/agent.jvm-options"; do
  [[ -f "$c" ]] && { OPTIONS="$c"; break; }
done
[[ -n "$OPTIONS" ]] || fail "no agent.jvm-options beside $0 or in the repository"

# Writes a file only when its content changes: through a temp file, then one rename.
put() {  # put MODE DEST (content on stdin)
  local tmp; tmp="$(mktemp "$2.install.XXXXXX")"
  cat >"$tmp"; chmod "$1" "$tmp"
  if [[ -f "$2" ]] && cmp -s "$tmp" "$2" && [[ "$(stat -c %a "$2")" == "${1#0}" ]]; then rm -f "$tmp"; return 1; fi
  mv -f "$tmp" "$2"
}
changed=()

mkdir -p "$PREFIX/versions/$VERSION" "$PREFIX/bin"
put 0644 "$PREFIX/versions/$VERSION/fleetwire-agent.jar" <"$JAR" && changed+=("versions/$VERSION/fleetwire-agent.jar")
put 0755 "$PREFIX/bin/fleetwire-agent" <"$HERE/fleetwire-agent.sh" && changed+=("bin/fleetwire-agent")
put 0644 "$PREFIX/agent.jvm-options" <"$OPTIONS" && changed+=("agent.jvm-options")
if [[ "$(readlink "$PREFIX/current" 2>/dev/null || true)" != "versions/$VERSION" ]]; then
  ln -sfn "versions/$VERSION" "$PREFIX/.current.install.$$"
  mv -Tf "$PREFIX/.current.install.$$" "$PREFIX/current"
  changed+=("current -> versions/$VERSION")
fi
printf 'JAVA=%q\nFLEETWIRE_HUB=%q\nFLEETWIRE_STATE_DIR=%q\n' "$JAVA_BIN" "$HUB" "$STATE_DIR" \
  | put 0600 "$PREFIX/agent.conf" && changed+=("agent.conf")

mkdir -p "$STATE_DIR"
chmod 0700 "$STATE_DIR"
if [[ -n "$TOKEN" ]]; then
  printf '%s\n' "$TOKEN" | put 0600 "$STATE_DIR/device-token" && changed+=("device token")
elif [[ -n "$ENROLL" ]]; then
  if [[ -s "$STATE_DIR/device-token" ]]; then
    echo "install.sh: already enrolled (a device token is kept in $STATE_DIR); --enroll is not used" >&2
  else
    printf '%s\n' "$ENROLL" | put 0600 "$STATE_DIR/enrollment-token" && changed+=("enrollment token")
  fi
fi
if [[ ! -f "$STATE_DIR/policy.properties" ]]; then
  put 0600 "$STATE_DIR/policy.properties" <<'EOF' && changed+=("policy.properties")
# The local security policy (docs/agent.md): the command types this device runs. The hub cannot
# change this file. More types: reboot, clear_cache, set_fan_speed, apply_fan_profile, ssh_access,
# software_update (self-update from the hub), and those of installed plug-ins.
allow=buzz,broadcast_message,lock,unlock,history_request
EOF
fi

if (( SYSTEMD )); then
  command -v systemctl >/dev/null || fail "systemctl not found: use --no-systemd and run $PREFIX/bin/fleetwire-agent --loop yourself"
  sed -e "s#/opt/fleetwire-agent#$PREFIX#g" -e "s#/var/lib/fleetwire-agent#$STATE_DIR#g" "$HERE/fleetwire-agent.service" \
    | put 0644 /etc/systemd/system/fleetwire-agent.service && changed+=("systemd unit")
  systemctl daemon-reload
  systemctl enable fleetwire-agent.service >/dev/null
  if (( ${#changed[@]} > 0 )); then systemctl restart fleetwire-agent.service; else systemctl start fleetwire-agent.service; fi
fi

if (( ${#changed[@]} == 0 )); then
  echo "fleetwire-agent $VERSION already installed in $PREFIX; nothing changed"
else
  echo "fleetwire-agent $VERSION installed in $PREFIX (state in $STATE_DIR): $(IFS=,; echo "${changed[*]}" | sed 's/,/, /g')"
fi
if (( ! SYSTEMD )); then
  echo "start it with: $PREFIX/bin/fleetwire-agent --loop"
fi
