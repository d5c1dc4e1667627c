# The gerbang server binary (api + worker + migrate), for compose.yaml.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p api --bin gerbang

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 gerbang
COPY --from=build /src/target/release/gerbang /usr/local/bin/gerbang
USER gerbang
ENV GERBANG__ENVIRONMENT=production \
    GERBANG__HTTP__BIND=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/gerbang"]
CMD ["serve"]
