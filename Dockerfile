# Buyback's image: the web app (`node build/server.js`) and, with another
# command, the job worker (`npm run worker`). Built offline from the npm
# registry only (docs/deployment.md). The same steps run in CI, outside
# Docker, in tests/browser/scale-out.test.ts.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000 SEED_DEMO_DATA=false
WORKDIR /app
# The worker runs the TypeScript entry point with tsx, so the image keeps the
# installed packages whole.
COPY --from=build /app /app
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "build/server.js"]
