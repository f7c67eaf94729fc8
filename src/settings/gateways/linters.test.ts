/**
 * The gateways' own tools as oracles: apigeelint (profile apigeex) on the generated Apigee bundle, and MuleSoft's
 * AMF parser (amf-client-js) on the generated RAML. Each is also shown to reject a broken file.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { RAMLConfiguration } from 'amf-client-js';
import { describe, expect, it } from 'vitest';
import type { GatewayConfig } from './common.js';
import { generateGatewayConfig } from './index.js';
import { SETTINGS } from '../../../test/support/gateway-settings.js';

const run = promisify(execFile);
const APIGEELINT = createRequire(import.meta.url).resolve('apigeelint/cli.js');

async function writeAll(cfg: GatewayConfig): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `okb-${cfg.kind}-`));
  for (const f of cfg.files) {
    await mkdir(dirname(join(dir, f.path)), { recursive: true });
    await writeFile(join(dir, f.path), f.content);
  }
  return dir;
}

interface LintMessage {
  ruleId: string;
  severity: number;
  message: string;
}

async function apigeelint(bundleDir: string): Promise<{ file: string; m: LintMessage }[]> {
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, [APIGEELINT, '-s', join(bundleDir, 'apiproxy'), '-f', 'json.js', '--profile', 'apigeex'], { cwd: bundleDir, maxBuffer: 16 << 20 }));
  } catch (e) {
    // apigeelint exits non-zero when it reports errors; its report is still on stdout.
    const out = (e as { stdout?: unknown }).stdout;
    if (typeof out !== 'string' || out === '') throw e;
    stdout = out;
  }
  const results = JSON.parse(stdout) as { filePath: string; messages: LintMessage[] }[];
  return results.flatMap((r) => r.messages.map((m) => ({ file: r.filePath.replace(/.*apiproxy/, 'apiproxy'), m })));
}

describe('apigeelint --profile apigeex', () => {
  it('finds no error in the generated bundle', async () => {
    const dir = await writeAll(generateGatewayConfig('apigee', SETTINGS));
    const messages = await apigeelint(dir);
    const errors = messages.filter((x) => x.m.severity >= 2);
    expect(errors.map((x) => `${x.file} ${x.m.ruleId} ${x.m.message}`)).toEqual([]);
  }, 60_000);

  it('reports an error for a bundle whose flow names a policy that does not exist', async () => {
    const cfg = generateGatewayConfig('apigee', SETTINGS);
    const broken: GatewayConfig = {
      ...cfg,
      files: cfg.files.map((f) => (f.path === 'apiproxy/proxies/default.xml' ? { ...f, content: f.content.replace('<Name>RF-MissingToken</Name>', '<Name>RF-NoSuchPolicy</Name>') } : f)),
    };
    const errors = (await apigeelint(await writeAll(broken))).filter((x) => x.m.severity >= 2);
    expect(errors.length).toBeGreaterThan(0);
  }, 60_000);
});

async function ramlReport(text: string): Promise<{ conforms: boolean; messages: string[]; spec?: string }> {
  const client = RAMLConfiguration.RAML10().baseUnitClient();
  const parsed = await client.parseContent(text);
  const spec = parsed.sourceSpec.id;
  if (!parsed.conforms) return { conforms: false, messages: parsed.results.map((r) => r.message), spec };
  const report = await client.validate(parsed.baseUnit);
  return { conforms: report.conforms, messages: report.results.map((r) => `${r.severityLevel} ${r.message}`), spec };
}

describe('amf-client-js (MuleSoft AMF), RAML 1.0', () => {
  it('parses and validates the generated RAML as RAML 1.0', async () => {
    const text = generateGatewayConfig('raml', SETTINGS).files[0]?.content ?? '';
    const r = await ramlReport(text);
    expect(r.messages).toEqual([]);
    expect(r.conforms).toBe(true);
    expect(r.spec).toBe('RAML 1.0');
  }, 60_000);

  it('rejects a RAML whose resource is secured by an undeclared scheme', async () => {
    const text = (generateGatewayConfig('raml', SETTINGS).files[0]?.content ?? '').replace('- oauth_2_0:', '- oauth_3_0:');
    expect((await ramlReport(text)).conforms).toBe(false);
  }, 60_000);
});
