import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * A gateway in its own process, so its memory and CPU are its own. Rate limits are off unless `env` sets them: load
 * generators measure throughput, not the limiter. BENCH_DIST=1 runs the compiled `dist/` (after `npm run build`), as the container does.
 */
/** The V8 flags `npm start`, `npm run serve` and the image run the gateway with (a unit test holds them equal). */
export const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=32'];

export async function spawnGateway(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; output(): string; peakRssMb(): number; rssMb(): number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/gwprof'] : []), ...(process.env.BENCH_NODE_FLAGS ?? PRODUCTION_NODE_FLAGS.join(' ')).split(' ').filter(Boolean), ...(process.env.BENCH_DIST ? ['dist/src/main.js'] : ['--import', 'tsx', 'src/main.ts'])], { env: { ...process.env, NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'warn', RATE_LIMIT_REQUESTS_PER_MINUTE: '0', RATE_LIMIT_COST_PER_MINUTE: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', () => {
      const m = /GraphiQL:\s+(http:\/\/\S+)\/graphql/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`gateway exited (${code}):\n${out}`)));
  });
  return {
    url,
    child,
    /** What the process wrote so far (its log lines), stdout and stderr together. */
    output: () => out,
    /** Linux high-water mark of resident memory (VmHWM). */
    peakRssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
      return kb / 1024;
    },
    /** Current resident memory (VmRSS). */
    rssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
    },
    async stop() {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
