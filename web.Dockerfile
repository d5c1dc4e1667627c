# The SPA built by Trunk, served by nginx with the config in nginx/.
FROM rust:1-bookworm AS build
RUN rustup target add wasm32-unknown-unknown \
    && apt-get update && apt-get install -y --no-install-recommends binaryen python3 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.lock .
RUN v=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock) \
    && cargo install wasm-bindgen-cli --version "$v" --locked \
    && cargo install trunk --version '~0.21' --locked
COPY . .
RUN trunk build --release \
    && trunk build --release true --dist dist/captive --public-url /captive/ web/captive.html \
    && trunk build --release true --dist dist/admin --public-url /admin/ web/admin.html \
    && bash nginx/gen-csp.sh dist/index.html dist/captive/index.html dist/admin/index.html > /csp.conf

FROM nginx:1.27-alpine
COPY nginx/nginx.conf /etc/nginx/nginx.conf
COPY nginx/upstream.conf nginx/site.conf /etc/nginx/gerbang/
COPY --from=build /csp.conf /etc/nginx/gerbang/csp.conf
COPY --from=build /src/dist /usr/share/nginx/html
EXPOSE 80
