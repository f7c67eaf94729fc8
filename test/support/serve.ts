/**
 * `okta-bootstrap local serve --port 0` as a child process (the built CLI): resolves once it printed OKTA_TENANT
 * and OKTA_API_TOKEN; the caller stops it (child.kill) and may await `exit`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, cleanEnv } from './cli.js';

export interface Serve {
  child: ChildProcess;
  orgUrl: string;
  token: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

export function serve(args: string[]): Promise<Serve> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'okta-bootstrap.js'), 'local', 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local serve did not start: ${err}`)), 20_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const orgUrl = /OKTA_TENANT=(\S+)/.exec(out)?.[1];
      const token = /OKTA_API_TOKEN=(\S+)/.exec(out)?.[1];
      if (orgUrl && token) {
        clearTimeout(timer);
        resolve({ child, orgUrl, token, stderr: () => err, exit });
      }
    });
    void exit.then((code) => reject(new Error(`local serve exited with ${code}: ${err}`)));
  });
}

