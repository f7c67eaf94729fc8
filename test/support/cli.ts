/**
 * Runs the BUILT CLI (bin/*.js → dist/) as a child process, the way a user does.
 * Every run's stdout and stderr are checked for the API tokens the test knows: OKTA_API_TOKEN must never
 * be printed by the tool, so a leak fails the test that caused it, wherever it is in the suite.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Written to stdin, then stdin is closed (stdin is never a TTY here). */
  input?: string;
  timeoutMs?: number;
  /** Extra strings that must not appear in stdout/stderr. */
  secrets?: string[];
  /** Called with the child right after spawn (e.g. to kill it at a chosen moment). */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void;
}

/** Variables of the developer's shell that would change what the CLI does; tests start from none of them. */
const SCRUB = /^(OKTA_|AUTHN_|INTROSPECT_|SILVER_|GOLD_|PROXY_URI|PORT$|REDIRECT_URI|GATEWAY|FORCE_COLOR|NO_COLOR|CI$)/;

export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !SCRUB.test(k)) env[k] = v;
  env.NO_COLOR = '1';
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export class SecretLeakError extends Error {}

export function assertNoLeak(result: { stdout: string; stderr: string }, secrets: (string | undefined)[], what: string): void {
  for (const s of secrets) {
    if (!s || s.length < 8) continue;
    for (const [name, text] of [['stdout', result.stdout], ['stderr', result.stderr]] as const) {
      if (text.includes(s)) throw new SecretLeakError(`${what}: a secret (API token) appeared on ${name}`);
    }
  }
}

export function runCli(bin: 'okta-bootstrap' | 'get-settings', args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const env = cleanEnv(opts.env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--', join(ROOT, 'bin', `${bin}.js`), ...args], {
      cwd: opts.cwd ?? ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, signal, stdout, stderr };
      try {
        assertNoLeak(result, [env.OKTA_API_TOKEN, env.OKTA_CLIENT_TOKEN, ...(opts.secrets ?? [])], `${bin} ${args.join(' ')}`);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      resolve(result);
    });
    opts.onSpawn?.(child);
    child.stdin.end(opts.input ?? '');
  });
}
