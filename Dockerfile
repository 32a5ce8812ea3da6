# Guang's production image: `docker build -t guang .` at the repository root (deploy/compose.yaml does this).
#
# Two stages on the same base image: better-sqlite3 is a native addon compiled in the build stage, and the
# runtime stage runs that .node file, so both must have the same Node ABI and glibc. Change NODE_VERSION here
# only, never one stage alone.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
# node-gyp's toolchain, for when better-sqlite3 has no prebuilt binary to download (it compiles from source).
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies before sources, so that editing src/ does not recompile the native addon. --ignore-scripts
# because package.json's prepare hook (the build) needs src/, which is not here yet; the one production
# dependency whose install script matters is better-sqlite3, rebuilt right after.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
    && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.js scripts/
COPY src/ src/
COPY web/ web/
# tsc and vite (dev dependencies) compile src/ and the console (web/console) into dist/; then the dev dependencies
# go (TypeScript, vite, vitest, wechaty…).
RUN npm run build \
    && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    GUANG_DB=/data/guang.db
WORKDIR /app
# The code stays owned by root: the server (user node) can read it but not change it. At run time it reads
# dist/, node_modules/, package.json ("type": "module"), data/lexicon/ (what words mean); data/*.csv and
# .env.example only for `serve --demo`, a try-out.
COPY package.json .env.example ./
COPY bin/guang.js bin/
COPY data/ data/
COPY --from=build /app/node_modules/ node_modules/
COPY --from=build /app/dist/ dist/
# The database, its -wal and -shm, and (without GUANG_SECRET_KEY) its key file live in /data. The directory is
# made here, owned by node, so that a new named volume starts with that owner.
RUN mkdir /data && chown node:node /data
VOLUME /data
USER node
# PORT's default (src/core/config.ts). Metrics, when GUANG_METRICS_PORT is set, listen on their own port:
# publish that one only where the scraper is (deploy/compose.yaml publishes it on the host's loopback).
EXPOSE 3000
# Liveness (the process serves and the database answers). Slim images have no curl: node's own fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself; `guang serve` handles it (stops accepting, finishes
# answers in flight and late customer-service deliveries, closes the database). serve starts no child
# processes, so no init is needed to reap zombies. `docker stop` waits only 10 s before SIGKILL: give it
# more (compose's stop_grace_period, `docker stop -t 90`).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve"]
