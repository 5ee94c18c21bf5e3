# One image for every service; SERVICE picks which one runs.
#   docker build --build-arg SERVICE=gateway -t caas-gateway .
FROM node:20-bookworm-slim
WORKDIR /app
COPY . .
RUN bash scripts/ensure-deps.sh
ARG SERVICE
ENV SERVICE=${SERVICE} NODE_ENV=production
USER node
CMD ["sh", "-c", "exec node -r @swc-node/register services/${SERVICE}/src/main.ts"]
