# syntax=docker/dockerfile:1
# Vigil server image: `docker build -t vigil .` then `docker run -p 8640:8640 vigil`.
# Stages: deps (all dependencies) → build (server + dashboard) → prod-deps (runtime
# dependencies only) → runtime (node:20-slim, non-root, no compiler, no sources).

FROM node:20-slim AS deps
WORKDIR /src
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
RUN npm run build

FROM deps AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    VIGIL_HOST=0.0.0.0 \
    VIGIL_PORT=8640 \
    VIGIL_DATA_DIR=/data
WORKDIR /app
COPY --from=prod-deps --chown=root:root /src/node_modules ./node_modules
COPY --from=build --chown=root:root /src/dist ./dist
COPY --from=build --chown=root:root /src/web/dist ./web/dist
COPY --chown=root:root package.json package-lock.json ./
COPY --chown=root:root bin ./bin
COPY --chown=root:root resources ./resources
# The application files stay root-owned and read-only; only /data is writable, by `node` (uid 1000).
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8640
# /ready answers 200 only when storage is reachable and the server is not shutting down.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.VIGIL_PORT||8640)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/vigil.mjs"]
CMD ["server"]
