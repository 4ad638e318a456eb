import Fastify, { type FastifyInstance } from 'fastify';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { AuthenticationError, type createAuthenticator } from '../auth/caller.js';
import { createLoaders } from '../loaders/index.js';
import type { Config } from '../config.js';
import type { GatewayContext } from '../context.js';
import type { Once } from '../idempotency/once.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/types.js';
import type { Upstreams } from '../upstreams/registry.js';
import { formatError } from './errors.js';
import { registerFiles } from './files.js';
import { registerGraphiql } from './graphiql.js';
import { registerHealth } from './health.js';
import { buildSchema } from './schema.js';
import type { UrlSigner } from './signedUrls.js';

export interface AppDeps {
  config: Config;
  log: Logger;
  metrics: Metrics;
  store: Store;
  upstreams: Upstreams;
  signer: UrlSigner;
  once: Once;
  auth: ReturnType<typeof createAuthenticator>;
}

/** The HTTP surface: /graphql (Apollo + GraphiQL), /files, /healthz, /readyz, /metrics. */
export async function buildApp(deps: AppDeps): Promise<{ app: FastifyInstance; apollo: ApolloServer<GatewayContext> }> {
  // Typed as the default instance: pino's Logger and Fastify's base logger type differ only nominally.
  const app = Fastify({
    // Per-request access logs only at debug/trace; the gateway's own logs keep the configured level.
    loggerInstance: deps.log.child({ component: 'http' }, { level: deps.config.logLevel === 'debug' || deps.config.logLevel === 'trace' ? deps.config.logLevel : 'warn' }) as FastifyInstance['log'],
    bodyLimit: 5 * 1024 * 1024,
    // Signed download tokens travel as one path parameter and are longer than Fastify's default 100.
    routerOptions: { maxParamLength: 2048 },
    trustProxy: true,
  }) as unknown as FastifyInstance;

  const apollo = new ApolloServer<GatewayContext>({
    schema: buildSchema(),
    introspection: true,
    // The gateway serves its own offline GraphiQL instead of Apollo's online landing page.
    plugins: [
      fastifyApolloDrainPlugin(app),
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are set; the plugin would otherwise wrap every field resolver (measured: ~3% of CPU).
      ApolloServerPluginCacheControlDisabled(),
      {
        async requestDidStart() {
          return {
            async willSendResponse({ operation, errors }) {
              deps.metrics.graphqlOperations.inc({ type: operation?.operation ?? 'unknown', outcome: errors?.length ? 'error' : 'ok' });
            },
          };
        },
      },
    ],
    formatError: formatError((err) => deps.log.error({ err }, 'unexpected error in a resolver')),
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();

  registerGraphiql(app, { needsKey: !deps.auth.open });
  await app.register(fastifyApollo(apollo), {
    context: async (request): Promise<GatewayContext> => {
      let caller;
      try {
        caller = deps.auth.authenticate(request.headers);
      } catch (err) {
        if (err instanceof AuthenticationError) {
          throw new GraphQLError(err.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } } });
        }
        throw err;
      }
      const baseUrl = deps.config.publicUrl ?? `${request.protocol}://${request.host}`;
      return {
        caller,
        upstreams: deps.upstreams,
        store: deps.store,
        once: deps.once,
        signer: deps.signer,
        baseUrl,
        config: deps.config,
        metrics: deps.metrics,
        log: deps.log,
        loaders: createLoaders(caller, deps.upstreams, deps.config, deps.metrics),
      };
    },
  });

  registerFiles(app, { upstreams: deps.upstreams, signer: deps.signer });
  registerHealth(app, { upstreams: deps.upstreams, store: deps.store });
  app.get('/metrics', async (_req, reply) => reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()));

  return { app, apollo };
}
