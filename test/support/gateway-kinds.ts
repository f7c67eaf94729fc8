/** Helpers for tests of the local gateway's JWT kinds: write a kind's generated files, start it, call it. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startJwtGateway, type RunningJwtGateway } from '../../src/gateway/jwt-server.js';
import { KIND_FILES, type JwtKind } from '../../src/gateway/kinds.js';
import { generateGatewayConfig, type GatewaySettings, type KongMode } from '../../src/settings/gateways/index.js';

/** Writes the kind's generated files into a fresh folder and returns the path the gateway reads. */
export async function writeKindConfig(kind: JwtKind, settings: GatewaySettings, kongMode?: KongMode): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `okb-gw-${kind}-`));
  for (const f of generateGatewayConfig(kind, settings, { kongMode }).files) {
    await mkdir(dirname(join(dir, f.path)), { recursive: true });
    await writeFile(join(dir, f.path), f.content);
  }
  return join(dir, KIND_FILES[kind]);
}

export async function startKind(kind: JwtKind, settings: GatewaySettings, now?: () => number): Promise<RunningJwtGateway> {
  return startJwtGateway({ kind, config: await writeKindConfig(kind, settings), port: 0, now });
}

export async function callGateway(gw: { url: string }, path: string, token?: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${gw.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, body };
}
