#!/usr/bin/env bash
# Validates the nginx config with `nginx -t`, using test includes for what
# only exists in the compose network (the upstream host) or at image build
# time (the CSP, generated from dist/index.html when it exists).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/gerbang"
sed "s#/etc/nginx/gerbang/#$tmp/gerbang/#g" "$here/nginx.conf" > "$tmp/nginx.conf"
sed "s#/etc/nginx/gerbang/#$tmp/gerbang/#g" "$here/site.conf" > "$tmp/gerbang/site.conf"
cp "$here/test/upstream.conf" "$tmp/gerbang/upstream.conf"
index="$here/../dist/index.html"
if [ -f "$index" ]; then
  pages=("$index")
  [ -f "$here/../dist/captive/index.html" ] && pages+=("$here/../dist/captive/index.html")
  [ -f "$here/../dist/admin/index.html" ] && pages+=("$here/../dist/admin/index.html")
  bash "$here/gen-csp.sh" "${pages[@]}" > "$tmp/gerbang/csp.conf"
else
  printf '<script type="module">x</script>' > "$tmp/index.html"
  bash "$here/gen-csp.sh" "$tmp/index.html" > "$tmp/gerbang/csp.conf"
fi
grep -q "sha256-" "$tmp/gerbang/csp.conf" || { echo "CSP has no script hash" >&2; exit 1; }
nginx -t -q -p "$tmp" -c "$tmp/nginx.conf" -g "error_log $tmp/error.log;"
echo "    nginx -t: configuration ok" >&2
