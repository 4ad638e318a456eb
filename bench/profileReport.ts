import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where a gateway's CPU went, from the V8 profile `BENCH_PROFILE=1` makes (`--cpu-prof`): self time
 * per function, put into the parts the performance work is about. A function counts where its code
 * lives (its script URL) or, for V8 built-ins (JSON.parse), by name.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const PARTS: [string, (n: ProfileNode['callFrame']) => boolean][] = [
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['idle', (f) => f.functionName === '(idle)'],
  // JSON.parse and JSON.stringify are built-ins V8 inlines into their callers: named by those callers.
  ['JSON.parse of upstream bodies', (f) => (f.url === '' && f.functionName === 'parse') || f.functionName === 'parseResultFromText' || f.functionName === 'parseJsonBody'],
  ['serialization of the answer (JSON.stringify)', (f) => (f.url === '' && f.functionName === 'stringify') || f.functionName === 'stringifyResult'],
  ['zod and the quick wire pass (upstream body checks)', (f) => f.url.includes('/node_modules/zod/') || f.url.includes('/src/http/fastWire.') || (f.url === '' && f.functionName === 'check')],
  ['GraphQL parse and validate', (f) => /\/graphql\/(language|validation)\//.test(f.url) || f.url.includes('graphql-query-complexity')],
  // graphql-jit's compiled operations are generated code without a script URL, named after the fields they complete.
  ['GraphQL execution', (f) => /\/graphql\/(execution|type|jsutils|utilities)\//.test(f.url) || f.url.includes('/@graphql-tools/') || f.url.includes('/graphql-jit/') || (f.url === '' && /__|Handler$/.test(f.functionName))],
  ['resolvers and services', (f) => /\/(resolvers|src\/services|src\/loaders|src\/server\/scopes)/.test(f.url) || f.url.includes('/dataloader/')],
  ['mapping and paging (sources, domain)', (f) => /\/src\/(sources|domain)\//.test(f.url)],
  ['upstream client (undici, fetch adapter, graphql-request)', (f) => f.url.includes('/undici/') || f.url.includes('graphql-request') || /\/src\/http\//.test(f.url)],
  ['Apollo Server and plugins', (f) => f.url.includes('/@apollo/') || f.url.includes('/src/plugins/') || f.url.includes('/@as-integrations/')],
  ['HTTP server (Fastify, node:http)', (f) => f.url.includes('/fastify') || f.url.includes('/find-my-way/') || f.url.includes('/avvio/') || f.url.startsWith('node:_http') || f.url.startsWith('node:http')],
  ['sockets and streams (node internals)', (f) => f.url.startsWith('node:')],
  ['logging and metrics', (f) => f.url.includes('/pino') || f.url.includes('/prom-client/')],
];

export function profileShares(file: string): { part: string; ms: number; share: number }[] {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const totals = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const part = PARTS.find(([, test]) => test(f))?.[0] ?? (f.functionName === '(program)' ? 'V8 (program: compiling, built-ins)' : 'other');
    totals.set(part, (totals.get(part) ?? 0) + us);
    if (part !== 'idle') busy += us;
  }
  return [...totals]
    .filter(([part]) => part !== 'idle')
    .map(([part, us]) => ({ part, ms: us / 1000, share: us / busy }))
    .sort((a, b) => b.ms - a.ms);
}

/** The newest profile of a main thread in a folder (tsx's loader thread writes one of its own, `.1.`). */
export function newestProfile(dir: string): string | null {
  const files = readdirSync(dir).filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f)).map((f) => join(dir, f));
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0] ?? null;
}

export function printProfile(dir: string): void {
  const file = newestProfile(dir);
  if (!file) return;
  const shares = profileShares(file);
  const total = shares.reduce((s, x) => s + x.ms, 0);
  console.log(`  CPU profile of that gateway, warm-up included (${file}): ${total.toFixed(0)} ms busy`);
  for (const s of shares) console.log(`    ${(s.share * 100).toFixed(1).padStart(5)} %  ${s.part}`);
}
