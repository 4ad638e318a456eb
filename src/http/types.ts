import type { Dispatcher } from 'undici';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Supplies a bearer token; `invalidate` drops a token the upstream refused so the next call fetches a new one. */
export interface AuthProvider {
  token(): Promise<string>;
  invalidate(token: string): void;
}

export interface UpstreamRequest {
  method: HttpMethod;
  /** Path and query, relative to the upstream's base URL. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Low-cardinality label for metrics and errors, e.g. `POST /api/payments`. */
  route: string;
  /** True when sending the request twice has the same effect as once; only these are retried. */
  idempotent: boolean;
  auth?: AuthProvider;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

export type Send = (req: UpstreamRequest) => Promise<UpstreamResponse>;
/** A layer wraps the next `Send`, in the manner of an undici interceptor. */
export type Layer = (next: Send) => Send;
