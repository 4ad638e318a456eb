import type { SandboxResponse } from '../server.js';

/** MAPI's error bodies: 422 with a string statusCode, 400 as an ASP.NET ModelState dictionary. */
export const unprocessable = (message: string): SandboxResponse => ({
  status: 422,
  body: { statusCode: '422', statusText: 'UnprocessableEntity', message },
});
export const notFound = (message: string): SandboxResponse => ({ status: 404, body: { statusCode: '404', statusText: 'NotFound', message } });
export const invalid = (errors: Record<string, string[]>): SandboxResponse => ({ status: 400, body: errors });
export const required = (...names: string[]) => invalid(Object.fromEntries(names.map((n) => [n, [`The ${n} field is required.`]])));

/** Query parameter lookup that ignores case, as ASP.NET model binding does. */
export function param(query: URLSearchParams, name: string): string | null {
  const lower = name.toLowerCase();
  for (const [k, v] of query) if (k.toLowerCase() === lower) return v;
  return null;
}
