# One image, several roles: `worker`, `intake`, `simulator` (the command is the dws-failover subcommand).
# The health check probes the worker's readiness (connected to Temporal and polling) on DWS_FAILOVER_WORKER_HTTP_PORT;
# other roles replace it: docker-compose.yml gives the intake its /readyz on 8080 and the simulator its /_sim/state.
# Kubernetes ignores HEALTHCHECK and uses the probes of deploy/kubernetes/.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
RUN npm ci --no-audit --no-fund \
 && npm run bundle \
 && npm prune --omit=dev

FROM node:24-bookworm-slim
# The worker's health and metrics server listens on every interface in a container (127.0.0.1 outside one), so that
# Docker, Kubernetes probes and Prometheus reach it; publish the port only where it should be reachable.
ENV NODE_ENV=production \
    DWS_FAILOVER_WORKFLOW_BUNDLE=/app/lib/workflow-bundle.js \
    DWS_FAILOVER_LOG_FORMAT=json \
    DWS_FAILOVER_WORKER_HTTP_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/lib ./lib
USER node
# 8080 intake (/v1/…, /healthz, /readyz, /metrics) · 9464 worker (/healthz, /readyz, /metrics) · 8090 simulator
EXPOSE 8080 9464 8090
# The image has no curl or wget: Node's fetch is the probe.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.DWS_FAILOVER_WORKER_HTTP_PORT||9464)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/dws-failover.js"]
CMD ["--help"]
