# syntax=docker/dockerfile:1
# Plimsoll's own image: built in one stage, run on distroless Node as a non-root user.

FROM node:20-bookworm-slim AS build
WORKDIR /src
# Dependency manifests first, so code edits do not invalidate the npm ci layer.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM gcr.io/distroless/nodejs20-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 POLICY_DIR=/app/policies
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json openapi.yaml ./
COPY policies ./policies
USER 65532:65532
EXPOSE 8080
# The distroless entrypoint is node itself.
CMD ["dist/server.js"]
