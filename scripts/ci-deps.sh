# Sourced by scripts/test.sh: the system packages the web tests need, installed from Debian when missing.
# - chromium: the browser end-to-end test drives /usr/bin/chromium with Playwright (never `playwright install`);
# - postgresql: the server binaries (/usr/lib/postgresql/*/bin) the tests start on a private loopback port.
# Only as root with apt-get; otherwise those tests skip with a message (and fail under CI=true).
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  accord_need=()
  [ -x /usr/bin/chromium ] || accord_need+=(chromium)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || accord_need+=(postgresql)
  if [ "${#accord_need[@]}" -gt 0 ]; then
    echo "accord: installing ${accord_need[*]} for the web tests ..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${accord_need[@]}" >/dev/null
  fi
  unset accord_need
fi
