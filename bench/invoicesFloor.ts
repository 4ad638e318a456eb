import { spawn, type ChildProcess } from 'node:child_process';
import { spawnGateway } from '../test/helpers/gatewayProcess.js';
import { cpuMs, DURATION, load, type Figures } from './load.js';
import { printProfile } from './profileReport.js';

const PROFILE_DIR = '/tmp/gwprof';

/**
 * `invoices(first: 100)` with lines at 1, 20 and 50 clients, three ways from one run:
 * - direct: the Informat query the gateway makes, sent straight to the sandbox;
 * - floor: the same bytes through a byte-forwarding proxy in its own process (`floorProxy.ts`);
 * - gateway: the GraphQL query through a gateway process.
 * Each is a fresh process for each client count, in an order that rotates between client counts, and
 * the gateway's and the floor's CPU per request are read from /proc (steadier than requests per
 * second on a shared machine). Then the same query through a gateway with the response cache on.
 */

interface Run extends Figures {
  cpuPerRequest: number | null;
  peakRssMb: number | null;
}

async function spawnFloor(target: string): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/floorProxy.ts', target], { env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /FLOOR (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`floor proxy exited (${code})`)));
  });
  return {
    url,
    child,
    async stop() {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A load run on a process, with its CPU per request over the measured run. */
async function measure(label: string, target: { url: string; headers: Record<string, string>; body: string }, clients: number, pid: number | null): Promise<Omit<Run, 'peakRssMb'>> {
  let before = 0;
  const f = await load(label, target, clients, () => (before = pid ? cpuMs(pid) : 0));
  return { ...f, cpuPerRequest: pid ? (cpuMs(pid) - before) / Math.max(1, f.total) : null };
}

const row = (r: Run, direct: Run) =>
  `  ${r.label.padEnd(10)} ${r.rps.toFixed(0).padStart(6)} req/s (${((r.rps / direct.rps) * 100).toFixed(0).padStart(3)} % of direct)   p50 ${r.p50.toFixed(1).padStart(6)} ms (${r === direct ? '     ' : `${(r.p50 - direct.p50 >= 0 ? '+' : '')}${(r.p50 - direct.p50).toFixed(1)}`.padStart(5)})   p99 ${r.p99.toFixed(1).padStart(6)} ms` +
  `${r.cpuPerRequest !== null ? `   CPU ${r.cpuPerRequest.toFixed(2)} ms/request` : ''}${r.peakRssMb !== null ? `   peak RSS ${r.peakRssMb.toFixed(0)} MB` : ''}${r.errors ? `   errors ${r.errors}` : ''}`;

export async function invoicesAgainstFloor(opts: { informatGraphqlUrl: string; token: string; directBody: string; gatewayEnv: Record<string, string>; gatewayBody: string }): Promise<void> {
  const direct = { url: opts.informatGraphqlUrl, headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` }, body: opts.directBody };
  const kinds = ['direct', 'floor', 'gateway'] as const;
  let profileAfter: (() => void) | null = null;
  console.log(`\ninvoices(first: 100) with lines: direct, floor (byte-forwarding proxy) and gateway; fresh processes, ${DURATION} s per run after 2 s warm-up`);
  for (const [i, clients] of [1, 20, 50].entries()) {
    const order = [...kinds.slice(i % 3), ...kinds.slice(0, i % 3)];
    const runs = new Map<(typeof kinds)[number], Run>();
    for (const kind of order) {
      if (kind === 'direct') runs.set(kind, { ...(await measure('direct', direct, clients, null)), peakRssMb: null });
      if (kind === 'floor') {
        const floor = await spawnFloor(opts.informatGraphqlUrl);
        runs.set(kind, { ...(await measure('floor', { ...direct, url: floor.url }, clients, floor.child.pid!)), peakRssMb: null });
        await floor.stop();
      }
      if (kind === 'gateway') {
        const gateway = await spawnGateway(opts.gatewayEnv);
        const r = await measure('gateway', { url: `${gateway.url}/graphql`, headers: { 'content-type': 'application/json' }, body: opts.gatewayBody }, clients, gateway.child.pid!);
        runs.set(kind, { ...r, peakRssMb: gateway.peakRssMb() });
        await gateway.stop();
        // BENCH_PROFILE=1: the gateway wrote a CPU profile when it stopped; where its time went at 20 clients.
        if (process.env.BENCH_PROFILE && clients === 20) profileAfter = () => printProfile(PROFILE_DIR);
      }
    }
    const d = runs.get('direct')!;
    console.log(`${clients} client${clients > 1 ? 's' : ''} (order: ${order.join(', ')}):`);
    for (const kind of kinds) console.log(row(runs.get(kind)!, d));
    profileAfter?.();
    profileAfter = null;
  }

  // The cached repeat: the same page asked again and again by one caller, answered from the cache.
  const cached = await spawnGateway({ ...opts.gatewayEnv, CACHE_TTL_SECONDS: 'INFORMAT=60' });
  const d = { ...(await measure('direct', direct, 20, null)), peakRssMb: null };
  const c = { ...(await measure('cached', { url: `${cached.url}/graphql`, headers: { 'content-type': 'application/json' }, body: opts.gatewayBody }, 20, cached.child.pid!)), peakRssMb: cached.peakRssMb() };
  const metrics = await (await fetch(`${cached.url}/metrics`)).text();
  const count = (outcome: string) => Number(new RegExp(`^gateway_cache_total\\{source="INFORMAT",outcome="${outcome}"\\} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
  await cached.stop();
  console.log(`20 clients, the same page repeated, response cache on (CACHE_TTL_SECONDS=INFORMAT=60): hit rate ${((count('hit') / Math.max(1, count('hit') + count('miss'))) * 100).toFixed(1)} %`);
  console.log(row(d, d));
  console.log(row(c, d));
  console.log('');
}
