# The engine's processes (worker, bridge, node, facilitator, verifier, erp) share one image; compose picks the subcommand.
# The native Groth16 binary (native/groth16-prover) is built in its own stage and carried as a binary: the image has no
# Rust toolchain; nodes prove and verifiers check with it through PROVER_NATIVE_BINARY (built for the CPU the image may
# run on, not target-cpu=native).
# The Rust image follows the toolchain the prover is built and tested with here (1.95, a tag that moves with patch
# releases): pin it by digest in your registry for byte-identical builds.
FROM rust:1.95-bookworm AS prover
WORKDIR /build
COPY native/groth16-prover ./
RUN cargo build --release --locked

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PROOFPATH_MODE=production
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY models ./models
COPY tsconfig.json ./
COPY --from=prover /build/target/release/proofpath-groth16-prover /usr/local/bin/proofpath-groth16-prover
ENV PROVER_NATIVE_BINARY=/usr/local/bin/proofpath-groth16-prover
USER node
ENTRYPOINT ["npx", "tsx", "src/cli/main.ts"]
CMD ["help"]
