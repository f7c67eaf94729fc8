/**
 * Test support: a tenant served on 127.0.0.1 (port 0), and HTTP requests to it with node:http, the path sent byte
 * for byte as given (fetch and URL would normalise dot segments and some percent-encodings), over a keep-alive agent.
 */
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildTenantServer, type BuiltTenant } from '../../src/local-tenant/server.js';
import type { TenantStore } from '../../src/local-tenant/store.js';
import type { LocalTenantOptions } from '../../src/local-tenant/types.js';

/** Listens on 127.0.0.1, a free port; returns the base URL. */
export async function listenLocal(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

export interface ServedTenant {
  built: BuiltTenant;
  orgUrl: string;
  token: string;
}

/** Builds a tenant over `store` and serves it; `beforeListen` may add hooks first. Close with built.app.close(). */
export async function serveTenant(store: TenantStore, options: LocalTenantOptions = {}, beforeListen?: (b: BuiltTenant) => void): Promise<ServedTenant> {
  const built = buildTenantServer(store, { ...options, port: 0 });
  beforeListen?.(built);
  const orgUrl = await listenLocal(built.app);
  built.ctx.orgUrl = orgUrl;
  return { built, orgUrl, token: store.read().apiToken };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
}

export interface RawRequest {
  method: string;
  /** Sent as is: no encoding, no normalisation. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

export function rawRequest(orgUrl: string, r: RawRequest): Promise<RawResponse> {
  const url = new URL(orgUrl);
  const headers: Record<string, string> = { ...r.headers };
  if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
  return new Promise((resolve, reject) => {
    const req = request({ method: r.method, hostname: url.hostname, port: url.port, path: r.path, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => {
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

/** A property of a JSON object body, or undefined. */
export function field(json: unknown, key: string): unknown {
  return json !== null && typeof json === 'object' && !Array.isArray(json) && Object.hasOwn(json, key) ? (json as Record<string, unknown>)[key] : undefined;
}

/** Runs `fn` over `items` with at most `width` at a time. */
export async function inBatches<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i];
      if (item !== undefined) await fn(item);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
}
