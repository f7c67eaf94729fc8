/**
 * A long-running command of the built CLI (gateway, app): resolves once its stderr shows `ready` (whose first group
 * is the URL it listens on), with stop() sending SIGTERM and resolving with the command's result.
 */
import { runCli, type CliOptions, type CliResult } from './cli.js';

export interface Listening {
  url: string;
  stop(): Promise<CliResult>;
}

export function runListening(args: string[], ready: RegExp, opts: CliOptions): Promise<Listening> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    let resolved = false;
    const done = runCli('okta-bootstrap', args, {
      timeoutMs: 30_000,
      ...opts,
      onSpawn: (child) => {
        child.stderr?.on('data', (d: Buffer) => {
          stderr += d.toString();
          const url = ready.exec(stderr)?.[1];
          if (url !== undefined && !resolved) {
            resolved = true;
            resolve({
              url,
              stop: () => {
                child.kill('SIGTERM');
                return done;
              },
            });
          }
        });
      },
    });
    done.then((r) => {
      if (!resolved) reject(new Error(`okta-bootstrap ${args[0] ?? ''} exited (${r.code}) before listening:\n${r.stderr}`));
    }, reject);
  });
}
