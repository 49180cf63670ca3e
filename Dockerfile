# The engine's processes (worker, bridge, node, facilitator, verifier, erp) share one image; compose picks the subcommand.
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
USER node
ENTRYPOINT ["npx", "tsx", "src/cli/main.ts"]
CMD ["help"]
