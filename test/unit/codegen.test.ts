import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { codegenConfig } from '../../codegen.js';

describe('generated types', () => {
  it('match schema/ (run `npm run codegen` after changing the schema)', async () => {
    const [output] = await generate({ ...codegenConfig, silent: true, cwd: process.cwd() } as never, false);
    const onDisk = readFileSync('src/generated/graphql.ts', 'utf8');
    expect(onDisk === (output as { content: string }).content, 'src/generated/graphql.ts is stale: run `npm run codegen`').toBe(true);
  });
});
