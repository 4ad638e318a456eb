import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { type InformatSandbox, type InformatSandboxOptions, SAMPLE_ACCESS_GROUP, SAMPLE_INVOICE_ID } from '../../src/sandbox/informat/index.js';
import { invoiceId } from '../../src/sources/informat/index.js';
import type { MapiSandbox, MapiSandboxOptions } from '../../src/sandbox/mapi/index.js';
import type { CodaboxSandbox } from '../../src/sandbox/codabox/index.js';
import type { IbanitySandbox, IbanitySandboxOptions } from '../../src/sandbox/ibanity/index.js';
import type { SourceName } from '../../src/domain/globalId.js';
import { SOURCES } from '../../src/sources/registry.js';
import type { SandboxSettings, StartedSandbox } from '../../src/sources/types.js';

const SETTINGS: SandboxSettings = { seed: 42, latencyMs: 0, invoicesPerGroup: 40, pdfDelayMs: 50, tokenTtlSeconds: 3600, mapiParties: 2400, ibanityStepMs: 100, dataDir: '' };
import { gatewayEnvFor } from './gatewayEnv.js';

export const AG = SAMPLE_ACCESS_GROUP.identifier;
const STACK_METRICS_TOKEN = 'stack-metrics-token-0123456789abcdef';

export interface Stack {
  sandbox: InformatSandbox;
  mapi: MapiSandbox;
  codabox: CodaboxSandbox;
  ibanity: IbanitySandbox;
  gateway: Gateway;
  dataDir: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: { data?: T; errors?: any } }>;
  /** Sum of a counter's samples from /metrics whose labels include `labels`. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  restart(env?: Record<string, string>): Promise<void>;
  /** Another gateway on the same simulators (a replica), with `env` on top of the stack's; the caller closes it. */
  replica(env?: Record<string, string>): Promise<Gateway>;
  close(): Promise<void>;
}

export interface StackOptions {
  sandbox?: InformatSandboxOptions;
  mapi?: MapiSandboxOptions;
  ibanity?: IbanitySandboxOptions;
  /** Extra configuration, as environment variables. */
  env?: Record<string, string>;
  /** Access groups the gateway is configured with; both sandbox groups by default. */
  accessGroups?: string[];
}

/** The sandbox upstreams and a gateway pointed at them, over real sockets, in this process. */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  // Every source's simulator, through the registry, with the test's data sizes and delays.
  const options: Partial<Record<SourceName, Record<string, unknown>>> = {
    INFORMAT: { invoicesPerGroup: 40, pdfDelayMs: 50, ...opts.sandbox },
    MAPI: { bulkParties: 2400, processingDelayMs: 20, ...opts.mapi },
    CODABOX: { bulkEntries: 300 },
    IBANITY: { stepMs: 100, ...opts.ibanity },
  };
  const started: Partial<Record<SourceName, StartedSandbox<unknown>>> = {};
  for (const s of SOURCES) if (s.sandbox) started[s.name] = await (await s.sandbox()).start(SETTINGS, pino({ level: 'silent' }), options[s.name]);
  const sandbox = started.INFORMAT!.handle as InformatSandbox;
  const mapi = started.MAPI!.handle as MapiSandbox;
  const codabox = started.CODABOX!.handle as CodaboxSandbox;
  const ibanity = started.IBANITY!.handle as IbanitySandbox;
  const sourcesEnv = await gatewayEnvFor(Object.fromEntries(Object.entries(started).map(([k, v]) => [k, v!.handle])));
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-test-'));
  const envFor = (extra: Record<string, string> = {}) => ({
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...sourcesEnv,
    ...(opts.accessGroups ? { INFORMAT_ACCESS_GROUPS: opts.accessGroups.join(',') } : {}),
    MAPI_FALLBACK_EMAIL: 'fallback@gateway.example',
    // /metrics needs admin or this token once a test configures keys.
    METRICS_TOKEN: STACK_METRICS_TOKEN,
    CREDENTIALS_KEY: 'test-credentials-key-0123456789abcdef',
    CAPABILITY_PENDING_DELAY_MS: '10',
    // No response cache unless a test turns it on: tests count upstream calls and change the simulators between operations.
    CACHE_TTL_SECONDS: 'off',
    UPSTREAM_RETRY_BASE_MS: '5',
    UPSTREAM_RETRY_MAX_MS: '20',
    ...opts.env,
    ...extra,
  });
  const start = (extra?: Record<string, string>) => startGateway(loadConfig(envFor(extra)), { log: pino({ level: 'silent' }) });
  let gateway = await start();
  // Ibanity's webhooks go to the gateway, as an operator would register its URL.
  ibanity.sendWebhooksTo(`${gateway.url}/webhooks/ibanity`);

  const stack: Stack = {
    sandbox,
    mapi,
    codabox,
    ibanity,
    get gateway() {
      return gateway;
    },
    dataDir,
    async gql(query, variables, headers) {
      const res = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as any };
    },
    async metric(name, labels = {}) {
      const text = await (await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${STACK_METRICS_TOKEN}` } })).text();
      let sum = 0;
      for (const line of text.split('\n')) {
        const m = /^([a-z_]+)(\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
        if (!m || m[1] !== name) continue;
        const l = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
        if (Object.entries(labels).every(([k, v]) => l[k] === v)) sum += Number(m[3]);
      }
      return sum;
    },
    replica: (env) => start(env),
    async restart(env) {
      await gateway.close();
      gateway = await start(env);
      ibanity.sendWebhooksTo(`${gateway.url}/webhooks/ibanity`);
    },
    async close() {
      await gateway.close();
      for (const s of Object.values(started)) await s!.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Global ID of the document's sample invoice (or another), as the gateway hands it out. */
export const invoiceGid = (id = SAMPLE_INVOICE_ID, accessGroup = AG) => invoiceId(accessGroup, id);
