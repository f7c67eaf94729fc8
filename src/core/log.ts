/**
 * The logger every module uses: progress on stderr (hidden by --quiet), results on stdout.
 * Callers mask secrets before logging; OKTA_API_TOKEN is never passed here.
 */
import { colorEnabled, createStyle, type Style } from './style.js';

export interface LogLevels {
  quiet?: boolean;
  verbose?: boolean;
  debug?: boolean;
}

export interface Logger {
  style: Style;
  errStyle: Style;
  /** Normal progress lines (stderr), hidden by --quiet. */
  info: (msg: string) => void;
  /** Warnings (stderr), shown even with --quiet. */
  warn: (msg: string) => void;
  /** Extra detail (stderr), shown with --verbose or --debug. */
  verbose: (msg: string) => void;
  /** HTTP exchanges and internals (stderr), shown with --debug; callers mask secrets first. */
  debug: (msg: string) => void;
  /** The command's result (stdout), always printed. */
  result: (msg: string) => void;
  readonly level: { quiet: boolean; verbose: boolean; debug: boolean };
}

export function createLogger(opts: LogLevels = {}): Logger {
  const quiet = Boolean(opts.quiet);
  const debug = Boolean(opts.debug);
  const verbose = Boolean(opts.verbose) || debug;
  const style = createStyle(colorEnabled(process.stdout));
  const errStyle = createStyle(colorEnabled(process.stderr));
  const err = (m: string) => process.stderr.write(m.endsWith('\n') ? m : `${m}\n`);
  return {
    style,
    errStyle,
    info: (m) => { if (!quiet) err(m); },
    warn: (m) => err(errStyle.yellow(m)),
    verbose: (m) => { if (verbose) err(errStyle.dim(m)); },
    debug: (m) => { if (debug) err(errStyle.dim(m)); },
    result: (m) => process.stdout.write(m.endsWith('\n') ? m : `${m}\n`),
    level: { quiet, verbose, debug },
  };
}

