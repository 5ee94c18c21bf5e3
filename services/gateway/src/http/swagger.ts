import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CaasError } from '@caas/contracts';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { BEARER_SCHEME } from '../auth/access.decorators';
import { MUTATING_METHODS } from '../idempotency/idempotency-key';
import { NOT_IDEMPOTENT_EXTENSION } from '../idempotency/idempotency.interceptor';

export const DOCS_PATH = '/docs';
export const DOCS_JSON_PATH = '/docs-json';

/** The OpenAPI document at /docs-json, Swagger UI at /docs. */
export function setUpSwagger(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('CaaS API')
    .setDescription(
      'Multi-tenant Container-as-a-Service. Tenant-scoped endpoints act in the tenant of the credential ' +
        '(a tenant token from POST /v1/auth/token, or an API key), never one named in the request. ' +
        'Every error answers {code, message, violations?, details?, correlationId}.',
    )
    .setVersion('1')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT or API key',
        description: 'A token from /v1/auth/login or /v1/auth/token, or an API key (caas_…)',
      },
      BEARER_SCHEME,
    )
    .build();
  const document = documentCrossCuttingHeaders(SwaggerModule.createDocument(app, config));
  // The UI is served below: SwaggerModule's own needs @fastify/static, which is not installed.
  SwaggerModule.setup(DOCS_PATH, app, document, { ui: false, raw: ['json'], jsonDocumentUrl: DOCS_JSON_PATH });
  serveSwaggerUi(app.getHttpAdapter().getInstance());
  return document;
}

/** Headers and errors that apply to every operation, added in one place rather than on each route. */
export function documentCrossCuttingHeaders(document: OpenAPIObject): OpenAPIObject {
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } },
  });
  for (const item of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      operation.parameters = [
        ...(operation.parameters ?? []),
        {
          name: 'X-Correlation-Id',
          in: 'header',
          required: false,
          description: 'Up to 100 visible ASCII characters; generated when absent; echoed in the response',
          schema: { type: 'string', maxLength: 100 },
        },
      ];
      operation.responses['400'] ??= error('Invalid input: each violation names the field and the rule');
      operation.responses['429'] ??= error('Rate limit exceeded; see Retry-After');
      operation.responses['503'] ??= error('A service behind the gateway is unavailable');
      const ignoresKey = (operation as Record<string, unknown>)[NOT_IDEMPOTENT_EXTENSION] === true;
      if (MUTATING_METHODS.has(method.toUpperCase()) && !ignoresKey) {
        operation.parameters.push({
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            '1–255 visible ASCII characters. Repeating a request with the same key and body within 24 h ' +
            'answers the first response again (with Idempotent-Replayed: true) instead of running it twice.',
          schema: { type: 'string', maxLength: 255 },
        });
        operation.responses['409'] ??= error('A request with this Idempotency-Key is still in progress');
        operation.responses['422'] ??= error('This Idempotency-Key was used with a different request');
      }
    }
  }
  return document;
}

const UI_ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const UI_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>CaaS API</title>
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_PATH}/swagger-ui-standalone-preset.js"></script>
  <script src="${DOCS_PATH}/swagger-ui-init.js"></script>
</body>
</html>
`;

const UI_INIT_JS = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '${DOCS_JSON_PATH}',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

/** swagger-ui-dist is @nestjs/swagger's dependency: found from there, it is the version Nest's own UI uses. */
function swaggerUiDistDir(): string {
  const swagger = dirname(require.resolve('@nestjs/swagger'));
  return dirname(require.resolve('swagger-ui-dist/package.json', { paths: [swagger] }));
}

/** Swagger UI from a fixed list of swagger-ui-dist files: nothing else on disk is reachable. */
function serveSwaggerUi(fastify: FastifyInstance): void {
  const assets = new Map<string, Promise<Buffer>>();
  for (const path of [DOCS_PATH, `${DOCS_PATH}/`]) {
    fastify.get(path, async (_request, reply) => reply.type('text/html; charset=utf-8').send(UI_HTML));
  }
  fastify.get(`${DOCS_PATH}/swagger-ui-init.js`, async (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').send(UI_INIT_JS),
  );
  fastify.get<{ Params: { asset: string } }>(`${DOCS_PATH}/:asset`, async (request, reply) => {
    const asset = request.params.asset;
    const type = Object.hasOwn(UI_ASSETS, asset) ? UI_ASSETS[asset] : undefined;
    if (!type) throw new CaasError('not_found', `No route GET ${request.url}`);
    if (!assets.has(asset)) assets.set(asset, readFile(join(swaggerUiDistDir(), asset)));
    return reply
      .type(type)
      .header('cache-control', 'public, max-age=3600')
      .send(await assets.get(asset)!);
  });
}
