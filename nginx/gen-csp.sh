#!/usr/bin/env bash
# Writes the Content-Security-Policy header line for the built SPA to stdout.
# Trunk's loader is an inline module script; its sha256 is allowed, nothing
# else inline. Turnstile's script and iframe come from challenges.cloudflare.com;
# forms may post to the router's hotspot login URL (http: on the LAN).
# Usage: nginx/gen-csp.sh dist/index.html [dist/captive/index.html …] > csp.conf
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: gen-csp.sh path/to/index.html [more.html …]" >&2; exit 2; }
hashes=$(python3 - "$@" <<'PY'
import base64, hashlib, re, sys
out = []
for path in sys.argv[1:]:
    html = open(path, encoding="utf-8").read()
    for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S):
        digest = hashlib.sha256(m.group(1).encode("utf-8")).digest()
        h = "'sha256-%s'" % base64.b64encode(digest).decode()
        if h not in out:
            out.append(h)
print(" ".join(out))
PY
)
policy="default-src 'self'; script-src 'self' 'wasm-unsafe-eval' ${hashes} https://challenges.cloudflare.com; frame-src https://challenges.cloudflare.com; connect-src 'self'; img-src 'self' data:; style-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self' http: https:; frame-ancestors 'none'"
printf 'add_header Content-Security-Policy "%s" always;\n' "$policy"
