# syntax=docker/dockerfile:1
# The engine's image (docs/operations.md#deploy): build stage with the toolchain, runtime stage with the compiled
# code, production dependencies and the `ar` CLI only, run as the unprivileged `node` user.

FROM node:26-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles its native module when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:26-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
# Loopback is the default (ADR 0043); inside a container the API must listen on every interface.
ENV AR_HOST=0.0.0.0
ENV PORT=3000
ENV AR_DATA_DIR=/app/data
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/bin ./bin
COPY --from=build --chown=root:root /app/package.json ./package.json
# The `ar` CLI on the PATH (ar migrate, ar backup, ar verify --heads, …): `docker exec <container> ar …`.
RUN ln -s /app/bin/ar.js /usr/local/bin/ar && chmod 0755 /app/bin/ar.js \
  && mkdir -p /app/data && chown node:node /app/data && chmod 0700 /app/data
# The code is root's and read-only to the process; only the data directory is the process's.
USER node
VOLUME ["/app/data"]
EXPOSE 3000
# Liveness only (no store is checked): orchestrators route traffic on /health/ready.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/api/src/main.js"]
