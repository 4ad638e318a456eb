import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { codegenConfig } from '../../codegen.js';

describe('generated files', () => {
  it('match schema/ (run `npm run codegen` after changing the schema)', async () => {
    const outputs = (await generate({ ...codegenConfig, silent: true, cwd: process.cwd() } as never, false)) as { filename: string; content: string }[];
    expect(outputs.map((o) => o.filename).sort()).toEqual(['frontend/possibleTypes.ts', 'src/generated/graphql.ts']);
    for (const o of outputs) expect(readFileSync(o.filename, 'utf8') === o.content, `${o.filename} is stale: run \`npm run codegen\``).toBe(true);
  });
});
