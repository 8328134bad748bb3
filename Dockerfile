# The seloste container images (docs/integrations.md), built from source so that `docker build .`
# works anywhere; the release workflow builds both targets for linux/amd64 and linux/arm64.
#   seloste (the default): the static musl binary alone on `scratch`, as a non-root user:
#           docker run --rm -v "$PWD:/work" ghcr.io/seloste/seloste:v0.1.0 lint registers
#   ci:     the same binary on BusyBox, which has the shell a GitLab CI job's `script:` needs.

# The official Rust image on Alpine links against musl: the binary is static.
FROM rust:1.89-alpine3.22 AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked \
 && cp target/release/seloste /seloste \
 && /seloste --version

FROM busybox:1.37-musl AS ci
COPY --from=build /seloste /usr/local/bin/seloste
USER 65532:65532
WORKDIR /work
CMD ["seloste", "--help"]

FROM scratch AS seloste
COPY --from=build /seloste /usr/local/bin/seloste
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/seloste"]
CMD ["lint", "."]
