import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per gateway instance (not prom-client's global one) so that several gateways in one
 * process, as in tests and benchmarks, count separately.
 */
export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return {
    registry,
    upstreamRequests: new Counter({
      name: 'gateway_upstream_requests_total',
      help: 'HTTP requests sent to upstreams (every attempt), by upstream, route and status (`error` when no response).',
      labelNames: ['upstream', 'route', 'status'] as const,
      registers: [registry],
    }),
    upstreamDuration: new Histogram({
      name: 'gateway_upstream_request_duration_seconds',
      help: 'Time until upstream response headers, per attempt.',
      labelNames: ['upstream', 'route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: 'gateway_webhook_deliveries_total',
      help: 'Webhook deliveries received, by source and outcome (processed, duplicate, rejected).',
      labelNames: ['source', 'outcome'] as const,
      registers: [registry],
    }),
    tokenRequests: new Counter({
      name: 'gateway_upstream_token_requests_total',
      help: 'OAuth2 token requests, by upstream and outcome.',
      labelNames: ['upstream', 'outcome'] as const,
      registers: [registry],
    }),
    retries: new Counter({
      name: 'gateway_upstream_retries_total',
      help: 'Upstream requests sent again after a failure, by upstream and route.',
      labelNames: ['upstream', 'route'] as const,
      registers: [registry],
    }),
    breakerState: new Gauge({
      name: 'gateway_upstream_breaker_state',
      help: 'Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open.',
      labelNames: ['upstream'] as const,
      registers: [registry],
    }),
    capabilityBatches: new Counter({
      name: 'gateway_capability_batches_total',
      help: 'Upstream capability batch calls, by source and kind (first ask, or re-ask of pending answers).',
      labelNames: ['source', 'kind'] as const,
      registers: [registry],
    }),
    capabilityCache: new Counter({
      name: 'gateway_capability_cache_total',
      help: 'Capability lookups answered from the shared cache (hit) or asked upstream (miss).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    graphqlOperations: new Counter({
      name: 'gateway_graphql_operations_total',
      help: 'GraphQL operations executed, by operation type and outcome.',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
    operationsRefused: new Counter({
      name: 'gateway_operations_refused_total',
      help: 'Operations refused before execution by an operation limit, by error code.',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    requestLimitHits: new Counter({
      name: 'gateway_upstream_request_limit_total',
      help: 'Upstream calls not made because the operation had used MAX_UPSTREAM_REQUESTS.',
      labelNames: ['upstream'] as const,
      registers: [registry],
    }),
    cache: new Counter({
      name: 'gateway_cache_total',
      help: 'Upstream reads asked of the response cache (CACHE_TTL_SECONDS), by source and outcome (hit, miss, error).',
      labelNames: ['source', 'outcome'] as const,
      registers: [registry],
    }),
    operationDuration: new Histogram({
      name: 'gateway_graphql_operation_duration_seconds',
      help: `Time from receiving a GraphQL operation to its answer, by operation name (the first ${OPERATION_NAMES} names seen; later ones count as "other") and type.`,
      labelNames: ['operation', 'type'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    graphqlErrors: new Counter({
      name: 'gateway_graphql_errors_total',
      help: 'Errors in GraphQL answers, by extensions.code.',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    loaderBatchSize: new Histogram({
      name: 'gateway_dataloader_batch_size',
      help: 'Keys per DataLoader batch, by loader (capabilities: per upstream call; parties: per batch of lookups).',
      labelNames: ['loader'] as const,
      buckets: [1, 2, 5, 10, 20, 50, 120, 250, 500, 1000],
      registers: [registry],
    }),
    upstreamPerOperation: new Histogram({
      name: 'gateway_upstream_requests_per_operation',
      help: 'Upstream requests one GraphQL operation made (identical requests shared within it count once).',
      buckets: [0, 1, 2, 3, 5, 10, 20, 50, 100, 250, 1000],
      registers: [registry],
    }),
  };
}

/** Distinct operation names kept as label values; a caller cannot grow the metrics without bound. */
export const OPERATION_NAMES = 100;

/** The label for an operation name: itself while fewer than OPERATION_NAMES are known, else `other`. */
export function operationLabel(known: Set<string>, name: string | null | undefined): string {
  const n = name && name.length <= 64 ? name : name ? 'other' : 'anonymous';
  if (known.has(n) || n === 'other' || n === 'anonymous') return n;
  if (known.size >= OPERATION_NAMES) return 'other';
  known.add(n);
  return n;
}

export type Metrics = ReturnType<typeof createMetrics>;
