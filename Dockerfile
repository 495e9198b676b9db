# keepmum container image: the three static (musl) binaries on a distroless
# base, running as a non-root user. Build: docker build -t keepmum .
# Run:   docker run --rm -v "$PWD:/src:ro" keepmum            (scan /src)
# See README.md, "Container image".

# Build stage: Rust on Alpine links against musl statically by default.
FROM rust:1-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /build
COPY . .
RUN cargo build --release --locked -p keepmum-cli -p keepmum-hook -p keepmum-precommit \
 && mkdir /out \
 && cp target/release/keepmum target/release/keepmum-hook target/release/keepmum-precommit /out/ \
 && /out/keepmum --version

# Runtime: no shell, no package manager; UID/GID 65532 ("nonroot").
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/ /usr/local/bin/
COPY LICENSE-MIT LICENSE-APACHE /usr/share/doc/keepmum/
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/keepmum"]
CMD ["scan", "."]
