import { context, propagation, trace, SpanKind, SpanStatusCode, type Context, type Span } from '@opentelemetry/api';
import type { Logger } from 'pino';

/**
 * OpenTelemetry traces: a span per GraphQL operation, per resolver that asks a service, and per
 * upstream request, with W3C `traceparent` passed on to the upstreams. Exported over OTLP/HTTP when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set; off otherwise, and then every call here is the API's no-op.
 */

export const tracer = trace.getTracer('be-einvoicing-gateway');

let enabled = false;
/** Whether spans are recorded and exported (resolver spans are only added to the schema then). */
export const tracingEnabled = () => enabled;

export async function startTracing(opts: { endpoint: string | null; serviceName: string }, log: Logger): Promise<{ shutdown(): Promise<void> }> {
  if (!opts.endpoint) return { shutdown: async () => {} };
  // Loaded only when tracing is on: the SDK and its exporter are megabytes a gateway without them does not need.
  const [{ OTLPTraceExporter }, { resourceFromAttributes }, { BatchSpanProcessor }, { NodeTracerProvider }] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/sdk-trace-node'),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': opts.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${opts.endpoint.replace(/\/$/, '')}/v1/traces` }))],
  });
  // Registers the async-hooks context manager and the W3C trace-context propagator.
  provider.register();
  enabled = true;
  log.info({ endpoint: opts.endpoint }, 'OpenTelemetry traces are exported over OTLP/HTTP');
  return {
    async shutdown() {
      enabled = false;
      await provider.shutdown().catch((err: unknown) => log.warn({ err }, 'could not flush the last spans'));
    },
  };
}

/** The trace context a caller sent (`traceparent`), for the operation span to continue. */
export const contextFromHeaders = (headers: Record<string, string | string[] | undefined>): Context => propagation.extract(context.active(), headers);

/** Headers to send upstream so the upstream's spans join this trace. */
export function withTraceHeaders(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!enabled) return headers;
  const out = { ...(headers ?? {}) };
  propagation.inject(context.active(), out);
  return out;
}

/** Runs `fn` in a new active span, ended (and marked failed on a throw) when it settles. */
export async function inSpan<T>(name: string, kind: SpanKind, attributes: Record<string, string | number>, fn: (span: Span) => Promise<T>, parent?: Context): Promise<T> {
  return tracer.startActiveSpan(name, { kind, attributes }, parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

export { SpanKind, SpanStatusCode };
