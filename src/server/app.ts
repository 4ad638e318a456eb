import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import cors from '@fastify/cors';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthenticationError, type Authenticator, type createAuthenticator } from '../auth/caller.js';
import { createLoaders } from '../loaders/index.js';
import type { Config } from '../config.js';
import type { GatewayContext } from '../context.js';
import type { Once } from '../idempotency/once.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/types.js';
import type { Upstreams } from '../sources/registry.js';
import { formatError } from './errors.js';
import { redactUrl } from './redact.js';
import { registerFiles } from './files.js';
import { registerGraphiql } from './graphiql.js';
import { registerHealth } from './health.js';
import { registerWebhooks } from './webhooks.js';
import { createRateLimits } from './rateLimits.js';
import type { OfficialRules } from '../validation/official.js';
import { buildSchema } from './schema.js';
import { compiledExecution } from './compiledExecution.js';
import type { UrlSigner } from './signedUrls.js';
import { checkRequestText, limitsPlugin } from '../plugins/limits/index.js';
import { createBudget, currentOperation, runInOperation } from '../http/operation.js';
import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { contextFromHeaders, inSpan, SpanKind, SpanStatusCode, tracingEnabled } from '../telemetry/tracing.js';
import { operationLabel } from '../metrics.js';
import { loadTrustedDocuments, searchOf } from './trustedDocuments.js';

/** A caller's request id is taken as it is only when it is a plain token of at most 128 characters. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface AppDeps {
  config: Config;
  log: Logger;
  metrics: Metrics;
  store: Store;
  upstreams: Upstreams;
  signer: UrlSigner;
  once: Once;
  auth: ReturnType<typeof createAuthenticator>;
  officialRules: OfficialRules;
}

/** The HTTP surface: /graphql (Apollo + GraphiQL), /files, /healthz, /readyz, /metrics. */
/**
 * Whether a request may read operators' data (`/metrics`, `/readyz`'s detail): anyone when no
 * authentication is configured; else a caller with the `admin` scope, or `METRICS_TOKEN` as a bearer.
 */
function operatorCheck(auth: Authenticator, metricsToken: string | null) {
  const token = metricsToken ? createHash('sha256').update(metricsToken).digest() : null;
  return async (headers: Record<string, string | string[] | undefined>): Promise<boolean> => {
    if (auth.open) return true;
    const bearer = typeof headers.authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(headers.authorization)?.[1] : undefined;
    if (token && bearer && timingSafeEqual(createHash('sha256').update(bearer).digest(), token)) return true;
    try {
      return (await auth.authenticate(headers)).scopes.has('admin');
    } catch {
      return false;
    }
  };
}

export async function buildApp(deps: AppDeps): Promise<{ app: FastifyInstance; apollo: ApolloServer<GatewayContext> }> {
  // Typed as the default instance: pino's Logger and Fastify's base logger type differ only nominally.
  const app = Fastify({
    // Per-request access logs only at debug/trace; the gateway's own logs keep the configured level.
    loggerInstance: deps.log.child({ component: 'http' }) as FastifyInstance['log'],
    // Fastify's own request lines are at info and carry the raw URL; the hook below logs each
    // request at debug with the URL redacted instead.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit: 5 * 1024 * 1024,
    // Signed download tokens travel as one path parameter and are longer than Fastify's default 100.
    routerOptions: { maxParamLength: 2048 },
    // X-Forwarded-* are believed only from configured proxies: anyone else could make the gateway
    // hand out download links to their own host.
    trustProxy: deps.config.trustedProxies.length ? deps.config.trustedProxies : false,
    // The caller's x-request-id when it is a plain token, else a new one; echoed on every answer.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  }) as unknown as FastifyInstance;
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  if (deps.config.corsOrigins.length) {
    // JSON POSTs from another origin are preflighted, so CORS and Apollo's CSRF prevention agree:
    // an allowed origin's preflight names content-type, which the CSRF check asks for.
    await app.register(cors, {
      origin: deps.config.corsOrigins.includes('*') ? true : deps.config.corsOrigins,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'apollo-require-preflight', 'x-apollo-operation-name'],
      maxAge: 600,
    });
  }

  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ method: request.method, url: redactUrl(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  const rateLimits = await createRateLimits(deps.config.rateLimits, deps.config.database?.url ?? null);
  app.addHook('onClose', async () => rateLimits.close());

  const schema = buildSchema();
  const operationNames = new Set<string>();
  const trusted = deps.config.trustedDocuments.file ? loadTrustedDocuments(deps.config.trustedDocuments.file, deps.config.trustedDocuments.only) : null;
  if (trusted) deps.log.info({ documents: trusted.size, only: trusted.only }, 'trusted documents loaded');
  const format = formatError(
    (err) => deps.log.error({ err }, 'unexpected error in a resolver'),
    (err) => deps.log.debug({ upstream: err.source, route: err.route, status: err.status, code: err.code, detail: err.detail?.slice(0, 500) }, 'upstream error answered to a caller'),
  );
  const apollo = new ApolloServer<GatewayContext>({
    // Compiled execution answers exactly as graphql-js does (compiledExecution.ts) at a fifth less CPU.
    ...(deps.config.execution === 'compiled' ? { gateway: compiledExecution(schema) } : { schema }),
    // INTROSPECTION=false: no introspection, and no "Did you mean …" field suggestions in errors.
    introspection: deps.config.introspection,
    hideSchemaDetailsFromClientErrors: !deps.config.introspection,
    // Only trusted documents: no operation is registered by hash at run time (automatic persisted queries off).
    ...(deps.config.trustedDocuments.only ? { persistedQueries: false as const } : {}),
    // The text check below refuses long queries first; this is the parser's own guard behind it.
    parseOptions: { maxTokens: deps.config.limits.maxTokens },
    // The gateway serves its own offline GraphiQL instead of Apollo's online landing page.
    plugins: [
      fastifyApolloDrainPlugin(app),
      limitsPlugin<GatewayContext>(
        schema,
        deps.config,
        (r) => deps.metrics.operationsRefused.inc({ code: r.code }),
        (ctx, cost) => rateLimits.cost(ctx.callerKey, cost).catch((err: unknown) => {
          deps.metrics.operationsRefused.inc({ code: 'RATE_LIMITED' });
          throw err;
        }),
      ),
      ApolloServerPluginLandingPageDisabled(),
      // A federated schema would switch on Apollo's inline traces (ftv1) for any caller that asks by
      // header, showing resolver timings; traces go to OpenTelemetry instead.
      ApolloServerPluginInlineTraceDisabled(),
      // No cache hints are set; the plugin would otherwise wrap every field resolver (measured: ~3% of CPU).
      ApolloServerPluginCacheControlDisabled(),
      {
        async requestDidStart() {
          const started = performance.now();
          return {
            async didResolveOperation({ operation, operationName }) {
              trace.getActiveSpan()?.updateName(`${operation?.operation ?? 'operation'} ${operationName ?? 'anonymous'}`);
            },
            async willSendResponse({ operation, operationName, errors, response, contextValue }) {
              deps.metrics.operationDuration.observe({ operation: operationLabel(operationNames, operationName), type: operation?.operation ?? 'unknown' }, (performance.now() - started) / 1000);
              if (errors?.length) trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: errors[0]!.message });
              // A source that failed inside a list across sources (the others' items answered): its error joins the response's.
              const partial = contextValue.partialErrors ?? [];
              if (partial.length && response.body.kind === 'single') {
                response.body.singleResult.errors = [...(response.body.singleResult.errors ?? []), ...partial.map((e) => format(e.toJSON(), e))];
              }
              // Counted after the partial errors joined, so a source failing inside a list counts too.
              if (response.body.kind === 'single') {
                for (const e of response.body.singleResult.errors ?? []) deps.metrics.graphqlErrors.inc({ code: String(e.extensions?.code ?? 'UNKNOWN') });
              }
              deps.metrics.graphqlOperations.inc({ type: operation?.operation ?? 'unknown', outcome: errors?.length || partial.length ? 'error' : 'ok' });
            },
          };
        },
      },
    ],
    formatError: format,
    includeStacktraceInErrorResponses: false,
    // Apollo's default indents every answer (JSON.stringify with two spaces): 8 % of the gateway's CPU on
    // a page of 100 invoices, and a third more bytes on the wire. Machines read the answers.
    stringifyResult: (value) => JSON.stringify(value),
  });
  await apollo.start();

  registerGraphiql(app, { needsKey: !deps.auth.open });
  const handler = fastifyApolloHandler<GatewayContext>(apollo, {
    context: async (request): Promise<GatewayContext> => {
      let caller;
      try {
        caller = await deps.auth.authenticate(request.headers);
      } catch (err) {
        if (err instanceof AuthenticationError) {
          throw new GraphQLError(err.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } } });
        }
        throw err;
      }
      // Upstream queues and rate limits count per caller; keyless callers by address.
      const callerKey = caller.open ? `open:${request.ip}` : caller.id;
      const op = currentOperation();
      if (op) op.caller = callerKey;
      await rateLimits.request(callerKey).catch((err: unknown) => {
        deps.metrics.operationsRefused.inc({ code: 'RATE_LIMITED' });
        throw err;
      });
      const baseUrl = deps.config.publicUrl ?? `${request.protocol}://${request.host}`;
      return {
        caller,
        callerKey,
        upstreams: deps.upstreams,
        once: deps.once,
        signer: deps.signer,
        baseUrl,
        settings: { maxPageSize: deps.config.maxPageSize, vatFallback: deps.config.capabilities.vatFallback },
        loaders: createLoaders(caller, deps.upstreams, deps.config, deps.metrics),
        channelOrder: deps.config.autoChannelOrder,
        paymentLinks: deps.store.paymentLinks,
        officialRules: deps.officialRules,
        partialErrors: [],
      };
    },
  });
  const limits = deps.config.limits;
  app.route({
    method: ['GET', 'POST'],
    url: '/graphql',
    handler: async function (request, reply) {
      if (trusted) {
        const isGet = request.method === 'GET';
        const given = isGet ? request.query : request.body;
        const r = trusted.resolve(given);
        if (!r.ok) {
          deps.metrics.operationsRefused.inc({ code: r.code });
          return reply.code(r.status).type('application/json; charset=utf-8').send({ errors: [{ message: r.message, extensions: { code: r.code } }] });
        }
        if (r.params === given) {
          // Nothing looked up: the request goes on as it came.
        } else if (isGet) {
          // Apollo reads a GET's parameters from the URL: the resolved text goes there.
          request.raw.url = `${request.url.split('?')[0]}?${searchOf(r.params)}`;
          request.query = r.params;
        } else request.body = r.params;
      }
      const refused = checkRequestText(request.body, request.query, deps.config);
      if (refused) {
        deps.metrics.operationsRefused.inc({ code: String((refused.errors[0] as { extensions: { code: string } }).extensions.code) });
        return reply.code(400).type('application/json; charset=utf-8').send(refused);
      }
      // Every upstream call of this operation counts against its budget: a request cap, a
      // deadline, one answer for identical requests, and a fair place in the upstream queues.
      const budget = createBudget({ caller: `ip:${request.ip}`, deadlineMs: limits.operationTimeoutMs, maxRequests: limits.maxUpstreamRequests, requestId: request.id });
      const run = () => runInOperation(budget, () => handler.call(this, request as never, reply as never));
      try {
        // With tracing on, the operation is a span (continuing the caller's trace) that its resolvers and upstream requests nest in.
        return await (tracingEnabled() ? inSpan('graphql.operation', SpanKind.SERVER, { 'http.request.id': request.id }, async () => run(), contextFromHeaders(request.headers)) : run());
      } finally {
        deps.metrics.upstreamPerOperation.observe(budget.requests);
        budget.dispose();
      }
    },
  });

  registerFiles(app, { upstreams: deps.upstreams, signer: deps.signer });
  registerWebhooks(app, { upstreams: deps.upstreams, once: deps.once, log: deps.log, metrics: deps.metrics });
  const operator = operatorCheck(deps.auth, deps.config.metricsToken);
  registerHealth(app, { upstreams: deps.upstreams, store: deps.store, mayReadDetail: operator });
  app.get('/metrics', async (req, reply) => {
    if (!(await operator(req.headers))) return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'metrics need a key with the admin scope, or METRICS_TOKEN' });
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  return { app, apollo };
}
