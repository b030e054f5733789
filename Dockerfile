# One image for api, ingest and detector (docker-compose.yml picks the command).
# Node 24 runs the TypeScript sources directly (type stripping): no build step to drift.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages ./packages
COPY services ./services
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production LOG_FORMAT=json
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.base.json ./
COPY packages ./packages
COPY services ./services
COPY migrations ./migrations
COPY scripts ./scripts
USER node
CMD ["node", "services/api/src/main.ts"]
