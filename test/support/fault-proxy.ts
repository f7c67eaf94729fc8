/**
 * A proxy in front of a local tenant that fails the requests a test chooses, deterministically, and records every
 * request it sees:
 * - `before`: answers Okta's 500 E0000009 without passing the request on (nothing changed in the org);
 * - `after`: passes the request on, lets the tenant commit it, then answers 500 instead of the tenant's answer
 *   (Okta's "the write happened but the answer was lost");
 * - `after-then-gone`: passes it on, then drops the connection, and every later request's too, as if the network
 *   died right after the org committed, until `decide` is set again.
 * One proxy can serve a whole test file (the org URL a record names stays the same): set `decide` for each case.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyFault = 'before' | 'after' | 'after-then-gone';

export interface Seen {
  method: string;
  path: string;
  query: string;
}

export type Decide = (req: IncomingMessage) => ProxyFault | undefined;

export interface FaultProxy {
  url: string;
  seen: Seen[];
  server: Server;
  /** Which requests fail; setting it also brings a proxy that is gone back. */
  decide: Decide;
  close(): Promise<void>;
}

const okta500 = JSON.stringify({ errorCode: 'E0000009', errorSummary: 'Internal Server Error', errorLink: 'E0000009', errorId: 'oaeProxy500', errorCauses: [] });

function answer500(res: ServerResponse): void {
  res.writeHead(500, { 'content-type': 'application/json' });
  res.end(okta500);
}

export async function faultProxy(target: string, initial: Decide = () => undefined): Promise<FaultProxy> {
  const seen: Seen[] = [];
  const upstream = new URL(target);
  let decide = initial;
  let gone = false;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', target);
    seen.push({ method: req.method ?? '', path: u.pathname, query: u.search });
    if (gone) {
      req.socket.destroy();
      return;
    }
    const fault = decide(req);
    if (fault === 'before') {
      req.resume();
      answer500(res);
      return;
    }
    const fwd = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (up) => {
      if (fault === undefined) {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      up.resume();
      up.on('end', () => {
        if (fault === 'after') return answer500(res);
        gone = true;
        req.socket.destroy();
      });
    });
    fwd.on('error', () => res.destroy());
    req.pipe(fwd);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    server,
    get decide() {
      return decide;
    },
    set decide(d: Decide) {
      decide = d;
      gone = false;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
