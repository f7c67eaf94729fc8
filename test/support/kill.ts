/**
 * kill -9 a spawned CLI at a point chosen from the tenant's side: right after the tenant has logged the child's
 * k-th write request (any method but GET). The log entry is written when the answer is sent, so the child may or
 * may not have read it: both the "pending" and the "done" state of a record entry are exercised.
 */
import type { ChildProcess } from 'node:child_process';
import type { RequestLogEntry } from '../../src/local-tenant/types.js';

export interface KillSwitch {
  /** Give to runCli's onSpawn: only requests logged while this child lives are counted. */
  onSpawn: (child: ChildProcess) => void;
  /** True once SIGKILL was sent. */
  readonly killed: boolean;
  /** Write requests counted so far. */
  readonly writes: number;
  /** Puts the tenant's log back as it was. */
  detach(): void;
}

export function killAfterWrites(requestLog: RequestLogEntry[], k: number): KillSwitch {
  let writes = 0;
  let killed = false;
  let child: ChildProcess | undefined;
  const original = Object.getOwnPropertyDescriptor(requestLog, 'push');
  const push = requestLog.push.bind(requestLog);
  Object.defineProperty(requestLog, 'push', {
    configurable: true,
    writable: true,
    value: (...items: RequestLogEntry[]) => {
      const n = push(...items);
      for (const entry of items) {
        if (child === undefined || killed || entry.method === 'GET') continue;
        if (++writes >= k) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
      return n;
    },
  });
  return {
    onSpawn: (c) => {
      child = c;
      c.on('exit', () => {
        if (child === c) child = undefined;
      });
    },
    get killed() {
      return killed;
    },
    get writes() {
      return writes;
    },
    detach() {
      if (original) Object.defineProperty(requestLog, 'push', original);
      else Reflect.deleteProperty(requestLog, 'push');
    },
  };
}
