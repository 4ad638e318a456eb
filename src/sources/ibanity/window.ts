/**
 * Ibanity's outbound document list (`GET /peppol/documents`) answers only windows whose
 * `fromStatusChanged` lies within 7 days of `toStatusChanged`, with `to >= from` (ibanity-dotnet,
 * `PeppolOutboundDocuments`; JS3P saw an API error past 6-7 days). Longer ranges are asked for in
 * consecutive windows, newest first.
 */
export const WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

export interface StatusWindow {
  from: number;
  to: number;
}

/**
 * The windows that cover [from, to], newest first, each at most `WINDOW_DAYS` long and touching the
 * next so that no instant falls between two. Empty when `from > to`. `maxWindows` bounds the calls
 * one list may make: a longer range throws a RangeError saying how far back the list may reach.
 */
export function statusWindows(from: number, to: number, maxWindows: number): StatusWindow[] {
  if (!(from <= to)) return [];
  const span = WINDOW_DAYS * DAY_MS;
  const count = Math.max(1, Math.ceil((to - from) / span));
  if (count > maxWindows) throw new RangeError(`Ibanity lists sent documents ${WINDOW_DAYS} days per request; this range needs ${count} requests, more than the ${maxWindows} allowed (${maxWindows * WINDOW_DAYS} days back at most)`);
  const out: StatusWindow[] = [];
  for (let end = to; out.length < count; end -= span) out.push({ from: Math.max(from, end - span), to: end });
  return out;
}
