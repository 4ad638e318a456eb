import type { Readable } from 'node:stream';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface BasicCredentials {
  username: string;
  password: string;
}

/** Supplies a bearer token; `invalidate` drops a token the upstream refused so the next call fetches a new one. */
export interface AuthProvider {
  /** Which account the tokens are for (token URL, client, scope), the same in every replica. */
  readonly identity?: string;
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
  /** HTTP Basic credentials; the transport writes the header, no client does. */
  basic?: BasicCredentials;
  /**
   * The request only reads (a GraphQL query sent as POST): identical ones within one operation
   * share one answer. GETs are reads without saying so.
   */
  read?: boolean;
  /**
   * The caller streams the body (a file download): it is neither read whole nor shared between
   * identical requests, and the body size limit does not apply.
   */
  stream?: boolean;
}

/** undici's body, or the same bytes read whole (`BufferedBody`). */
export type UpstreamBody = Readable & {
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
  dump(): Promise<void>;
};

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: UpstreamBody;
}

export type Send = (req: UpstreamRequest) => Promise<UpstreamResponse>;
/** A layer wraps the next `Send`, in the manner of an undici interceptor. */
export type Layer = (next: Send) => Send;
