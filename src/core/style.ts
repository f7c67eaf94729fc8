/**
 * Terminal styling: colour only when the stream is a TTY and NO_COLOR is unset (FORCE_COLOR forces it).
 * chalk decides nothing on its own here: the level is set from these rules, per stream.
 */
import { Chalk } from 'chalk';

export interface Style {
  enabled: boolean;
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  cyan: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
}

export function colorEnabled(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export function createStyle(enabled: boolean): Style {
  const c = new Chalk({ level: enabled ? 1 : 0 });
  return {
    enabled,
    red: (s) => c.red(s),
    green: (s) => c.green(s),
    yellow: (s) => c.yellow(s),
    cyan: (s) => c.cyan(s),
    dim: (s) => c.dim(s),
    bold: (s) => c.bold(s),
  };
}
