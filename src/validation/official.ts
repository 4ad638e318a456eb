import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';

/**
 * The official rules, when a folder laid out like `validation-artefacts/` is configured: the Peppol
 * BIS 3 schematron (turned into XSLT by SchXslt) and the CEN EN16931 XSLT, each compiled once to a
 * SaxonJS SEF (about 30 s together) and cached by the artefact's hash, then run with SaxonJS for each
 * document (a few hundred milliseconds). Compiling runs in the background at start; until it is done,
 * `state()` says so and callers do not wait.
 */

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const xslt3 = require.resolve('xslt3/xslt3.js');
// saxon-js is CommonJS without types, and large (tens of MB once compiled): loaded on the first
// document the official rules check, never by a gateway without VALIDATION_ARTEFACTS_DIR.
type Saxon = { transform(o: Record<string, unknown>, mode: 'async'): Promise<{ principalResult: string }> };
let saxon: Saxon | null = null;
const saxonJs = () => (saxon ??= require('saxon-js') as Saxon);

export interface OfficialFailure {
  /** The rule id, e.g. `BR-CO-16` or `PEPPOL-EN16931-R003`. */
  id: string;
  /** `fatal`, `warning` or `information` as the rule set flags it (empty when it does not). */
  flag: string;
  text: string;
  location: string;
}

export type OfficialState = 'OFF' | 'COMPILING' | 'READY' | 'FAILED';

const hashOf = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);

/** Runs a step into a temporary file renamed in place at the end, so a half-written cache is never read. */
async function cached(target: string, make: (tmp: string) => Promise<unknown>): Promise<string> {
  if (existsSync(target)) return target;
  const tmp = `${target}.${process.pid}.tmp`;
  await make(tmp);
  renameSync(tmp, target);
  return target;
}

/** Compiles both rule sets (or finds them in `cacheDir`); resolves to the two SEF files. */
export async function compileOfficialRules(artefacts: string, cacheDir: string): Promise<{ peppol: string; cen: string }> {
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  const sch = join(artefacts, 'peppol', 'PEPPOL-EN16931-UBL.sch');
  const cenXsl = join(artefacts, 'en16931', 'EN16931-UBL-validation.xslt');
  const opts = { maxBuffer: 64 * 1024 * 1024 };
  const peppolXsl = await cached(join(cacheDir, `peppol-${hashOf(sch)}.xsl`), (tmp) => run(process.execPath, [xslt3, `-xsl:${join(artefacts, 'schxslt', 'pipeline-for-svrl.xsl')}`, `-s:${sch}`, `-o:${tmp}`], opts));
  const sef = (xsl: string, name: string) => cached(join(cacheDir, `${name}-${hashOf(xsl)}.sef.json`), (tmp) => run(process.execPath, [xslt3, `-xsl:${xsl}`, `-export:${tmp}`, '-nogo'], opts));
  const [peppol, cen] = await Promise.all([sef(peppolXsl, 'peppol'), sef(cenXsl, 'cen')]);
  return { peppol, cen };
}

/** The failed assertions of one compiled rule set over one document (SVRL `failed-assert`). */
export async function runRuleSet(sef: string, xml: string): Promise<OfficialFailure[]> {
  const out = await saxonJs().transform({ stylesheetFileName: sef, sourceText: xml, destination: 'serialized' }, 'async');
  const failures: OfficialFailure[] = [];
  for (const m of out.principalResult.matchAll(/<svrl:failed-assert\b([^>]*)>([\s\S]*?)<\/svrl:failed-assert>/g)) {
    const attr = (n: string) => new RegExp(`${n}="([^"]*)"`).exec(m[1]!)?.[1] ?? '';
    failures.push({ id: attr('id'), flag: attr('flag'), location: attr('location'), text: /<svrl:text>([\s\S]*?)<\/svrl:text>/.exec(m[2]!)?.[1]?.trim() ?? '' });
  }
  return failures;
}

export interface OfficialRules {
  state(): OfficialState;
  /** Both rule sets' failures; only when `state()` is READY. */
  check(xml: string): Promise<OfficialFailure[]>;
}

/** The official rules of `artefacts` (null: off), compiled in the background into `cacheDir`. */
export function startOfficialRules(artefacts: string | null, cacheDir: string, log: Logger): OfficialRules {
  if (!artefacts) return { state: () => 'OFF', check: async () => [] };
  let state: OfficialState = 'COMPILING';
  let sefs: { peppol: string; cen: string } | null = null;
  const started = Date.now();
  compileOfficialRules(artefacts, cacheDir).then(
    (s) => {
      sefs = s;
      state = 'READY';
      log.info({ ms: Date.now() - started }, 'official validation rules ready');
    },
    (err: unknown) => {
      state = 'FAILED';
      log.error({ err, artefacts }, 'official validation rules could not be compiled; validateDocument runs the built-in rules only');
    },
  );
  return {
    state: () => state,
    async check(xml) {
      if (!sefs) return [];
      return [...(await runRuleSet(sefs.peppol, xml)), ...(await runRuleSet(sefs.cen, xml))];
    },
  };
}
