import { readFileSync } from 'node:fs';
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
  /** Requests answered in the measured run. */
  total: number;
}

/** `measured` runs right after the warm-up, before the measured run: a CPU reading taken there covers the measured run only. */
export async function load(label: string, opts: { url: string; headers: Record<string, string>; body: string }, connections = CONNECTIONS, measured: () => void = () => {}): Promise<Figures> {
  await autocannon({ ...opts, method: 'POST', connections, duration: 2 });
  measured();
  const r = await autocannon({ ...opts, method: 'POST', connections, duration: DURATION });
  return { label, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, bytes: r.throughput.average, total: r.requests.total };
}

/** CPU time a process has used so far (user + system), in milliseconds, from /proc. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, inside parentheses): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Linux's USER_HZ; 100 on every common kernel. */
const CLOCK_TICKS = 100;

export const fmt = (f: Figures) =>
  `${f.label.padEnd(26)} ${f.rps.toFixed(0).padStart(7)} req/s   p50 ${f.p50.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(6)} ms   errors ${f.errors}`;

