# One image, several roles: `worker`, `intake`, `simulator` (the command is the dws-failover subcommand).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
RUN npm ci --no-audit --no-fund \
 && npm run bundle \
 && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DWS_FAILOVER_WORKFLOW_BUNDLE=/app/lib/workflow-bundle.js \
    DWS_FAILOVER_LOG_FORMAT=json
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/lib ./lib
USER node
ENTRYPOINT ["node", "bin/dws-failover.js"]
CMD ["--help"]
