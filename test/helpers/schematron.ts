import { homedir } from 'node:os';
import { join } from 'node:path';
import { compileOfficialRules, runRuleSet, type OfficialFailure } from '../../src/validation/official.js';
import { SHARED_DIR } from './shared.js';

/**
 * The official rules for tests, through the gateway's own runner (`src/validation/official.ts`), with
 * the compiled stylesheets cached outside the repository (`$XDG_CACHE_HOME/be-einvoicing-gateway/validation`).
 */
export const CACHE = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'be-einvoicing-gateway', 'validation');

export type Failure = OfficialFailure;

export interface Rules {
  /** Fatal failed assertions of both rule sets. */
  check(xml: string): Promise<Failure[]>;
}

export async function loadRules(): Promise<Rules> {
  const { peppol, cen } = await compileOfficialRules(join(SHARED_DIR, 'validation-artefacts'), CACHE);
  return {
    async check(xml) {
      return [...(await runRuleSet(peppol, xml)), ...(await runRuleSet(cen, xml))].filter((f) => f.flag === 'fatal');
    },
  };
}
