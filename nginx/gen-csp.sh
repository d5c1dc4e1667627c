#!/usr/bin/env bash
# Writes the Content-Security-Policy header line for the built SPA to stdout.
# Trunk's loader is an inline module script; its sha256 is allowed, nothing
# else inline. Turnstile's script and iframe come from challenges.cloudflare.com;
# forms may post to the router's hotspot login URL (http: on the LAN).
# Usage: nginx/gen-csp.sh dist/index.html > csp.conf
set -euo pipefail
index="${1:?usage: gen-csp.sh path/to/index.html}"
hashes=$(python3 - "$index" <<'PY'
import base64, hashlib, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
out = []
for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S):
    digest = hashlib.sha256(m.group(1).encode("utf-8")).digest()
    out.append("'sha256-%s'" % base64.b64encode(digest).decode())
print(" ".join(out))
PY
)
policy="default-src 'self'; script-src 'self' 'wasm-unsafe-eval' ${hashes} https://challenges.cloudflare.com; frame-src https://challenges.cloudflare.com; connect-src 'self'; img-src 'self' data:; style-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self' http: https:; frame-ancestors 'none'"
printf 'add_header Content-Security-Policy "%s" always;\n' "$policy"
