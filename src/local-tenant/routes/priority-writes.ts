/**
 * Okta serialises the priorities of the policies of one authorization server, and of the rules of one policy,
 * badly: two writes that set a priority in the same container at the same time can answer 500 E0000009
 * (terraform-provider-okta issue #1198 "Error creating multiple policy rules concurrently", fixed in PR #1248 by
 * chaining the creates: https://github.com/okta/terraform-provider-okta/pull/1248). The tenant models it so a
 * client that sends such writes concurrently fails here as it would on an org.
 *
 * A priority write (a create, or a replace that carries `priority`) occupies its container from the moment it
 * arrives until its answer is sent, and for at least `holdMs` (the tenant's writes take microseconds, an org's
 * take tens of milliseconds, so without a floor concurrent writes would rarely overlap here). A second priority
 * write arriving on a busy container answers 500 E0000009 and changes nothing; the first one goes on.
 * Choice where Okta is silent: which of the overlapping writes fails. The later one, so the outcome of the
 * first is what the client sees for the write it sent first.
 */
import type { TenantContext } from '../context.js';
import { oktaError } from '../errors.js';

const busyByTenant = new WeakMap<TenantContext, Set<string>>();

export const PRIORITY_HOLD_MS = 25;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function priorityWrite<T>(ctx: TenantContext, container: string, write: () => Promise<T>): Promise<T> {
  let busy = busyByTenant.get(ctx);
  if (!busy) {
    busy = new Set();
    busyByTenant.set(ctx, busy);
  }
  if (busy.has(container)) throw oktaError(500, 'E0000009', 'Internal Server Error');
  busy.add(container);
  const floor = sleep(ctx.options.priorityWriteMs ?? PRIORITY_HOLD_MS);
  try {
    const result = await write();
    await floor;
    return result;
  } finally {
    busy.delete(container);
  }
}
