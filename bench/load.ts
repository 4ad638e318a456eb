import autocannon from 'autocannon';

/** Load generation shared by the benchmarks: a 2 s warm-up, then DURATION seconds measured. */

export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
export const DURATION = Number(process.env.BENCH_SECONDS ?? 10);

export interface Figures {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  bytes: number;
}

export async function load(label: string, opts: { url: string; headers: Record<string, string>; body: string }, connections = CONNECTIONS): Promise<Figures> {
  await autocannon({ ...opts, method: 'POST', connections, duration: 2 });
  const r = await autocannon({ ...opts, method: 'POST', connections, duration: DURATION });
  return { label, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, bytes: r.throughput.average };
}

export const fmt = (f: Figures) =>
  `${f.label.padEnd(26)} ${f.rps.toFixed(0).padStart(7)} req/s   p50 ${f.p50.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(6)} ms   errors ${f.errors}`;

