import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { SHARED_DIR } from './shared.js';

/**
 * The official rules, run with SaxonJS: the Peppol BIS 3 schematron (compiled to XSLT through
 * SchXslt) and the CEN EN16931 XSLT, each compiled to a SEF once and cached outside the repository
 * (`$XDG_CACHE_HOME/be-einvoicing-gateway/validation`, keyed by the artefact's hash).
 */

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const xslt3 = require.resolve('xslt3/xslt3.js');
// saxon-js is CommonJS without types.
const SaxonJS = require('saxon-js') as { transform(o: Record<string, unknown>, mode: 'async' | 'sync'): Promise<{ principalResult: string }> };

const CACHE = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'be-einvoicing-gateway', 'validation');

const hashOf = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);

async function compile(xsl: string, name: string): Promise<string> {
  const sef = join(CACHE, `${name}-${hashOf(xsl)}.sef.json`);
  if (existsSync(sef)) return sef;
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${sef}.${process.pid}.tmp`;
  await run(process.execPath, [xslt3, `-xsl:${xsl}`, `-export:${tmp}`, '-nogo'], { maxBuffer: 64 * 1024 * 1024 });
  renameSync(tmp, sef);
  return sef;
}

export interface Failure {
  id: string;
  flag: string;
  text: string;
  location: string;
}

export interface Rules {
  /** Fatal failed assertions of both rule sets. */
  check(xml: string): Promise<Failure[]>;
}

async function svrlOf(sef: string, xml: string): Promise<Failure[]> {
  const out = await SaxonJS.transform({ stylesheetFileName: sef, sourceText: xml, destination: 'serialized' }, 'async');
  const failures: Failure[] = [];
  for (const m of out.principalResult.matchAll(/<svrl:failed-assert\b([^>]*)>([\s\S]*?)<\/svrl:failed-assert>/g)) {
    const attr = (n: string) => new RegExp(`${n}="([^"]*)"`).exec(m[1]!)?.[1] ?? '';
    failures.push({ id: attr('id'), flag: attr('flag'), location: attr('location'), text: /<svrl:text>([\s\S]*?)<\/svrl:text>/.exec(m[2]!)?.[1]?.trim() ?? '' });
  }
  return failures;
}

export async function loadRules(): Promise<Rules> {
  const base = join(SHARED_DIR, 'validation-artefacts');
  const peppolSch = join(base, 'peppol', 'PEPPOL-EN16931-UBL.sch');
  const peppolXsl = join(CACHE, `peppol-${hashOf(peppolSch)}.xsl`);
  if (!existsSync(peppolXsl)) {
    mkdirSync(CACHE, { recursive: true });
    const tmp = `${peppolXsl}.${process.pid}.tmp`;
    await run(process.execPath, [xslt3, `-xsl:${join(base, 'schxslt', 'pipeline-for-svrl.xsl')}`, `-s:${peppolSch}`, `-o:${tmp}`], { maxBuffer: 64 * 1024 * 1024 });
    renameSync(tmp, peppolXsl);
  }
  const peppol = await compile(peppolXsl, 'peppol');
  const cen = await compile(join(base, 'en16931', 'EN16931-UBL-validation.xslt'), 'cen');
  return {
    async check(xml) {
      const all = [...(await svrlOf(peppol, xml)), ...(await svrlOf(cen, xml))];
      return all.filter((f) => f.flag === 'fatal');
    },
  };
}
