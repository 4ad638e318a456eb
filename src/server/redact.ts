/**
 * A request URL fit for a log line: a signed download token is a bearer credential, and query
 * strings carry GraphQL variables and, from careless clients, `?api_key=`. Only the path and the
 * names of parameters stay, with `operationName`'s value.
 */
export function redactUrl(url: string): string {
  const [path = '', query] = url.split('?', 2) as [string, string | undefined];
  const safePath = path.replace(/^\/files\/[^/]+/, '/files/[redacted]');
  if (query === undefined) return safePath;
  const params = new URLSearchParams(query);
  const kept = [...params.keys()].map((k) => (k === 'operationName' ? `${k}=${encodeURIComponent(params.get(k) ?? '')}` : `${k}=[redacted]`));
  return `${safePath}?${[...new Set(kept)].join('&')}`;
}
