/**
 * Generators that replay what an earlier run (or an earlier pass of this run) generated for the same key,
 * so rendering a key twice gives the same body: the same TAG, the same fake user's login and password.
 * Without this a re-run would invent new users and create duplicates. Values are replayed per kind, in order:
 * the n-th GENERATE_FIRSTNAME of SILVER_USER is the n-th first name recorded for SILVER_USER.
 */
import type { GeneratedValue } from './journal.js';

export interface GeneratorsLike {
  tag(): string;
  password(): string;
  firstName(): string;
  lastName(): string;
}

export class ReplayGenerators {
  private readonly sequences = new Map<string, GeneratedValue[]>();

  constructor(private readonly base: GeneratorsLike, recorded: Record<string, GeneratedValue[] | undefined> = {}) {
    this.reset(recorded);
  }

  /** Replays `recorded` from now on, and nothing generated so far (the run switched to another set). */
  reset(recorded: Record<string, GeneratedValue[] | undefined>): void {
    this.sequences.clear();
    for (const [k, v] of Object.entries(recorded)) if (v && v.length > 0) this.sequences.set(k, v.map((x) => ({ ...x })));
  }

  /** Generators for rendering `key` once; each call starts from the first recorded value again. */
  forKey(key: string): GeneratorsLike {
    const seq = this.sequences.get(key) ?? [];
    this.sequences.set(key, seq);
    const cursor: Record<GeneratedValue['kind'], number> = { tag: 0, password: 0, firstName: 0, lastName: 0 };
    const next = (kind: GeneratedValue['kind']): string => {
      const n = cursor[kind]++;
      const recorded = seq.filter((g) => g.kind === kind)[n];
      if (recorded) return recorded.value;
      const value = this.base[kind]();
      seq.push({ kind, value });
      return value;
    };
    return {
      tag: () => next('tag'),
      password: () => next('password'),
      firstName: () => next('firstName'),
      lastName: () => next('lastName'),
    };
  }

  /** What was generated (or replayed) for `key`, to record in the output. */
  generatedFor(key: string): GeneratedValue[] | undefined {
    const s = this.sequences.get(key);
    return s && s.length > 0 ? s : undefined;
  }
}
