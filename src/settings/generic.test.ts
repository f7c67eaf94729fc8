import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { resolveGenericSettings } from './generic.js';
import type { SettingsSources } from './profiles.js';

describe('get-settings --input FILE: values read from objects come from the output', () => {
  const output = { values: { GROUP_ID: '00gNEW', PORT: '8080' } };
  const src = (over: Partial<SettingsSources>): SettingsSources => ({ env: {}, dotenv: {}, dotenvName: '.env', outputDir: 'output', outputs: {}, ...over });
  const profile = { name: 'mine', inputArg: './mine.json', keys: ['GROUP_ID', 'PORT'] };

  it(".env's old id is reported and not used; a plain value of .env still wins", () => {
    const r = resolveGenericSettings(profile, src({ dotenv: { GROUP_ID: '00gOLD', PORT: '9090' }, fromObjects: new Set(['GROUP_ID']) }), output);
    expect(r.values.map((v) => [v.key, v.value, v.source])).toEqual([
      ['GROUP_ID', '00gNEW', join('output', 'mine.json')],
      ['PORT', '9090', '.env'],
    ]);
    expect(r.ignored).toEqual([{ key: 'GROUP_ID', source: '.env', value: '00gOLD', used: '00gNEW', usedSource: join('output', 'mine.json') }]);
  });
});
