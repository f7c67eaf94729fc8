/**
 * Generated values: {{GENERATE_TAG}}, {{GENERATE_PASSWORD}}, {{GENERATE_FIRSTNAME}}, {{GENERATE_LASTNAME}}.
 *
 * Passwords meet Okta's default password policy (management spec, PasswordPolicyPasswordSettingsComplexity
 * defaults: minLength 8, minLowerCase 1, minUpperCase 1, minNumber 1, minSymbol 1, excludeUsername true, and the
 * common-password dictionary). We choose 16 characters (twice the minimum), never three letters in a row, so a
 * password can contain no username, first name or last name (names from ./names.ts are ≥ 3 letters, and the
 * policy's excludeAttributes only names firstName/lastName), and no dictionary word; never the same character
 * twice in a row (OIE's maxConsecutiveCharacters); and only symbols that need no quoting in a .env file or a shell
 * (no # $ quotes backslash backtick or space), since get-settings writes the password to .env.
 */
import { randomInt } from 'node:crypto';
import { FIRST_NAMES, LAST_NAMES } from './names.js';
import { seededRandom } from '../core/random.js';

export interface Generators {
  /** autogenYYYYMMDD-HHmm-xxxx: the minute (local time) and a random suffix, a new TAG every call. */
  tag(): string;
  password(): string;
  firstName(): string;
  lastName(): string;
}

export const PASSWORD_LENGTH = 16;
const LOWER = 'abcdefghijkmnopqrstuvwxyz'; // no l (looks like 1)
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ'; // no I, O
const DIGITS = '23456789'; // no 0, 1
export const PASSWORD_SYMBOLS = '!%*+-.:?^_~';

/** A source of integers in [0, n). */
type Rng = (n: number) => number;

/** A seeded source (see core/random.ts) for reproducible runs and tests; never used without a seed. */
function seededRng(seed: number): Rng {
  const next = seededRandom(seed);
  return (n) => Math.floor(next() * n);
}

/** The readable prefix of a generated TAG: autogenYYYYMMDD-HHmm, the original okta-bootstrapper's form. */
export function formatTag(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `autogen${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
export const TAG_SUFFIX_LENGTH = 4;

/**
 * A generated TAG: the minute, as the original tool wrote it, then `-` and 4 random lower-case base-36 characters
 * (36^4 = 1.7 million), so two runs in one minute (`--new-tag` twice, two inputs back to back) get different
 * TAGs and so different objects. Lower case: a TAG ends up in names and logins, which Okta compares
 * case-insensitively. The result always matches TAG_PATTERN (it names the record of an earlier set).
 */
function makeTag(d: Date, rng: Rng): string {
  let suffix = '';
  for (let i = 0; i < TAG_SUFFIX_LENGTH; i++) suffix += BASE36.charAt(rng(BASE36.length));
  return `${formatTag(d)}-${suffix}`;
}

/**
 * Everything a password breaks in Okta's default policy (empty when it is fine). `names` are the username and
 * the first and last name it must not contain (case-insensitive; Okta checks the part of a login before "@").
 */
export function passwordPolicyViolations(pw: string, names: { username?: string; firstName?: string; lastName?: string } = {}): string[] {
  const v: string[] = [];
  if (pw.length < 8) v.push('shorter than 8 characters');
  if (!/[a-z]/.test(pw)) v.push('no lower-case letter');
  if (!/[A-Z]/.test(pw)) v.push('no upper-case letter');
  if (!/[0-9]/.test(pw)) v.push('no number');
  if (!/[^A-Za-z0-9]/.test(pw)) v.push('no symbol');
  const lower = pw.toLowerCase();
  const user = names.username?.split('@')[0];
  for (const [what, n] of [['username', user], ['first name', names.firstName], ['last name', names.lastName]] as const) {
    if (n && n.length >= 3 && lower.includes(n.toLowerCase())) v.push(`contains the ${what}`);
  }
  return v;
}

function makePassword(rng: Rng): string {
  const pick = (set: string) => set[rng(set.length)]!;
  for (;;) {
    // one of each required class at random places, the rest from everything
    const classes = [LOWER, UPPER, DIGITS, PASSWORD_SYMBOLS];
    const plan: string[] = Array.from({ length: PASSWORD_LENGTH }, () => LOWER + UPPER + DIGITS + PASSWORD_SYMBOLS);
    for (const c of classes) {
      let at = rng(PASSWORD_LENGTH);
      while (classes.includes(plan[at]!)) at = (at + 1) % PASSWORD_LENGTH;
      plan[at] = c;
    }
    let out = '';
    for (let i = 0; i < PASSWORD_LENGTH; i++) {
      let set = plan[i]!;
      const letterRun = i >= 2 && /[A-Za-z]{2}$/.test(out);
      if (letterRun && (set === LOWER || set === UPPER)) break; // a forced letter after two letters: start again
      if (letterRun) set = DIGITS + PASSWORD_SYMBOLS;
      let ch = pick(set);
      while (ch === out[i - 1]) ch = pick(set);
      out += ch;
    }
    if (out.length === PASSWORD_LENGTH && passwordPolicyViolations(out).length === 0) return out;
  }
}

/** Draws without repeating until the list is used up, so two users of one run get different names. */
function drawer(list: readonly string[], rng: Rng): () => string {
  let left: string[] = [];
  return () => {
    if (left.length === 0) left = [...list];
    return left.splice(rng(left.length), 1)[0]!;
  };
}

/** One set of generators per run. `seed` makes the run reproducible (tests, demos); without it, crypto randomness. */
export function createGenerators(opts: { seed?: number; now?: () => Date } = {}): Generators {
  const rng: Rng = opts.seed === undefined ? (n) => randomInt(n) : seededRng(opts.seed);
  const now = opts.now ?? (() => new Date());
  const first = drawer(FIRST_NAMES, rng);
  const last = drawer(LAST_NAMES, rng);
  return {
    tag: () => makeTag(now(), rng),
    password: () => makePassword(rng),
    firstName: first,
    lastName: last,
  };
}
