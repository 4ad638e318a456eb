import type { AuthProvider, Send } from './types.js';
import { fromTransportError } from './errors.js';

/**
 * A WHATWG `fetch` for libraries that want one (graphql-request), routed through a transport so
 * that GraphQL upstream calls get the same pool, retries, breaker, auth and metrics as REST calls.
 * GraphQL queries are reads, hence `idempotent`.
 */
export function fetchAdapter(send: Send, opts: { route: string; auth?: AuthProvider; idempotent?: boolean; source: string }): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const body = typeof init?.body === 'string' ? init.body : init?.body == null ? undefined : String(init.body);
    const res = await send({
      method: (init?.method ?? 'GET').toUpperCase() as 'GET' | 'POST',
      path: url.pathname + url.search,
      headers,
      body,
      route: opts.route,
      idempotent: opts.idempotent ?? true,
      read: opts.idempotent ?? true,
      auth: opts.auth,
    });
    let text: string;
    try {
      text = res.status === 204 || res.status === 304 ? '' : await res.body.text();
    } catch (err) {
      throw fromTransportError(err, opts.source, opts.route);
    }
    const outHeaders = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) outHeaders.append(k, one);
    }
    // What graphql-request reads of a response (ok, status, headers, text()), without a WHATWG
    // Response around the bytes: that one copied the body into an ArrayBuffer and read it back
    // through a stream, for a page of invoices 100 KB each way.
    return answered(res.status, outHeaders, text);
  };
}

function answered(status: number, headers: Headers, text: string): Response {
  const response = {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    headers,
    redirected: false,
    type: 'basic',
    url: '',
    bodyUsed: false,
    async text() {
      return text;
    },
    async json() {
      return JSON.parse(text) as unknown;
    },
  };
  return response as unknown as Response;
}
