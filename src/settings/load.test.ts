import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { loadSettingsSources, readLocalTenantValues } from './load.js';
import { resolveSettings } from './profiles.js';

const mulesoftOut = { OKTA_TENANT: 'https://dev-1.example.okta.com', PORT: 8080, REDIRECT_URI: 'http://localhost:8080', '$okta-bootstrap': { version: 1 } };

describe('loading', () => {
  it('reads output files and the local tenant state file; names broken files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'okb-settings-'));
    await writeFile(join(dir, 'mulesoft.json'), JSON.stringify(mulesoftOut));
    await writeFile(join(dir, 'state.json'), JSON.stringify({ version: 1, apiToken: 'local-fake', orgUrl: 'http://127.0.0.1:7777' }));
    const src = await loadSettingsSources({ profile: 'mulesoft', outputDir: dir, envFile: join(dir, 'none.env'), env: {}, localState: join(dir, 'state.json') });
    expect(src.outputs.mulesoft?.values.PORT).toBe(8080);
    // a meta that does not match the output format (src/core/output-format.ts) is left out for readers of values
    expect(src.outputs.mulesoft?.meta).toBeUndefined();
    expect(src.outputs.mulesoft_policy).toBeUndefined();
    expect(src.local).toMatchObject({ apiToken: 'local-fake', orgUrl: 'http://127.0.0.1:7777' });
    await expect(readLocalTenantValues(join(dir, 'missing.json'))).rejects.toThrow(ConfigError);
    await writeFile(join(dir, 'mulesoft_policy.json'), '{ not json');
    await expect(loadSettingsSources({ profile: 'mulesoft', outputDir: dir, envFile: '.none', env: {} })).rejects.toThrow(/mulesoft_policy\.json/);
  });

  it("an empty value in .env or the environment is not set: the output file's value shows (the engine's rule too)", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'okb-settings-'));
    await writeFile(join(dir, 'mulesoft.json'), JSON.stringify(mulesoftOut));
    await writeFile(join(dir, 'app.env'), 'PORT=\nREDIRECT_URI=http://localhost:9999\n');
    const src = await loadSettingsSources({ profile: 'mulesoft', outputDir: dir, envFile: join(dir, 'app.env'), env: { REDIRECT_URI: '' } });
    const r = resolveSettings('mulesoft', src);
    expect(r.values.find((v) => v.key === 'PORT')).toMatchObject({ value: '8080', source: join(dir, 'mulesoft.json') });
    expect(r.values.find((v) => v.key === 'REDIRECT_URI')).toMatchObject({ value: 'http://localhost:9999', source: join(dir, 'app.env') });
  });
});
