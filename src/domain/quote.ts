/**
 * A caller's value quoted in a message: at most `max` characters, so a 1 MB input is never echoed
 * back whole (in an error, a log line or a userError).
 */
export function quote(value: unknown, max = 60): string {
  const s = typeof value === 'string' ? value : String(value);
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s) + (s.length > max ? ` (${s.length} characters)` : '');
}
