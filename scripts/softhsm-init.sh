#!/usr/bin/env bash
# Prepare a private SoftHSM2 token store for tests and local HSM runs (idempotent):
#
#   scripts/softhsm-init.sh [DIR]            DIR defaults to ${TMPDIR:-/tmp}/separ-softhsm
#   eval "$(scripts/softhsm-init.sh)"        ... and use it in this shell
#
# Writes DIR/softhsm2.conf and DIR/tokens/, and initialises a token labelled separ-test with user
# PIN 1234 and SO PIN 5678 (test values, never for real data) unless DIR already holds a token with
# that label. Nothing outside DIR is touched: the system token store (/var/lib/softhsm) is not used.
#
# Prints shell exports on stdout (SOFTHSM2_CONF, SEPAR_PKCS11_MODULE, SEPAR_PKCS11_TOKEN,
# SEPAR_PKCS11_PIN); progress goes to stderr. SOFTHSM2_CONF is read by SoftHSM2 at C_Initialize,
# so it must be in the environment before the module is initialised.
#
# Overrides: SEPAR_SOFTHSM_LABEL, SEPAR_SOFTHSM_PIN, SEPAR_SOFTHSM_SO_PIN, SOFTHSM2_MODULE.
set -euo pipefail

dir="${1:-${TMPDIR:-/tmp}/separ-softhsm}"
label="${SEPAR_SOFTHSM_LABEL:-separ-test}"
pin="${SEPAR_SOFTHSM_PIN:-1234}"
so_pin="${SEPAR_SOFTHSM_SO_PIN:-5678}"

die() {
  printf 'softhsm-init: %s\n' "$*" >&2
  exit 1
}

command -v softhsm2-util >/dev/null 2>&1 || die "softhsm2-util is not installed (apt-get install softhsm2)"

module="${SOFTHSM2_MODULE:-}"
if [ -z "$module" ]; then
  for m in \
    /usr/lib/softhsm/libsofthsm2.so \
    "/usr/lib/$(uname -m)-linux-gnu/softhsm/libsofthsm2.so" \
    /usr/lib64/pkcs11/libsofthsm2.so \
    /usr/local/lib/softhsm/libsofthsm2.so \
    /opt/homebrew/lib/softhsm/libsofthsm2.so; do
    if [ -f "$m" ]; then
      module="$m"
      break
    fi
  done
fi
[ -n "$module" ] && [ -f "$module" ] || die "libsofthsm2.so not found (apt-get install softhsm2, or set SOFTHSM2_MODULE)"
[ "${#label}" -ge 1 ] && [ "${#label}" -le 32 ] || die "a token label is 1 to 32 characters: '$label'"

mkdir -p "$dir/tokens"
chmod 700 "$dir" "$dir/tokens"
dir="$(cd "$dir" && pwd -P)"
conf="$dir/softhsm2.conf"

# Rewritten every run (same content for the same DIR), atomically.
cat >"$conf.tmp.$$" <<EOF
# Written by separ scripts/softhsm-init.sh
directories.tokendir = $dir/tokens/
objectstore.backend = file
log.level = ERROR
slots.removable = false
slots.mechanisms = ALL
library.reset_on_fork = false
EOF
mv -f "$conf.tmp.$$" "$conf"
export SOFTHSM2_CONF="$conf"

has_token() {
  softhsm2-util --show-slots 2>/dev/null | awk -v want="$label" '
    /^[[:space:]]*Label:/ {
      sub(/^[[:space:]]*Label:[[:space:]]*/, "")
      sub(/[[:space:]]+$/, "")
      if ($0 == want) found = 1
    }
    END { exit found ? 0 : 1 }'
}

if has_token; then
  printf 'softhsm-init: token %s already present in %s\n' "$label" "$dir/tokens" >&2
else
  softhsm2-util --init-token --free --label "$label" --pin "$pin" --so-pin "$so_pin" >&2
  has_token || die "softhsm2-util did not create token '$label' in $dir/tokens"
fi

printf 'export SOFTHSM2_CONF=%q\n' "$conf"
printf 'export SEPAR_PKCS11_MODULE=%q\n' "$module"
printf 'export SEPAR_PKCS11_TOKEN=%q\n' "$label"
printf 'export SEPAR_PKCS11_PIN=%q\n' "$pin"
