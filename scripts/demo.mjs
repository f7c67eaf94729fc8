#!/usr/bin/env node
// npm run demo: the whole MuleSoft sequence against the embedded local tenant, no Okta account needed.
// It keeps its files apart from a real setup: output in output/local/, values in .okta-local/demo.env.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputDir = 'output/local';
const envFile = '.okta-local/demo.env';
const common = ['--local', '--output-dir', outputDir, '--env-file', envFile];

function run(bin, args, { allowFail = false } = {}) {
  const shown = [bin, ...args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
  process.stdout.write(`\n\u001b[1m$ ${shown}\u001b[22m\n`);
  const r = spawnSync(process.execPath, ['--', join(root, 'bin', `${bin}.js`), ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0 && !allowFail) {
    process.stderr.write(`\nThe demo stopped: "${shown}" exited with ${r.status}.\n`);
    process.exit(r.status ?? 1);
  }
  return r.status;
}

run('okta-bootstrap', ['--mulesoft', '--yes', ...common]);
run('get-settings', ['--mulesoft_introspect', ...common]);
const out = JSON.parse(readFileSync(join(root, outputDir, 'mulesoft.json'), 'utf8'));
// Anypoint's step: it registers the app's client through Okta's /oauth2/v1/clients.
run('okta-bootstrap', [
  'register-client', '--name', 'Solar System Auth', '--redirect-uri', out.REDIRECT_URI,
  '--grant-type', 'authorization_code', '--grant-type', 'implicit', '--write-env', envFile, ...common,
]);
run('okta-bootstrap', ['--mulesoft_policy', '--yes', ...common]);
run('get-settings', ['--mulesoft', ...common]);
run('okta-bootstrap', ['verify', '--mulesoft', ...common]);
process.stdout.write(
  `\nDone. Output files are in ${outputDir}/, the app's values in ${envFile}.\n` +
    'Run it again: nothing is created twice. Clean up: okta-bootstrap destroy --mulesoft --cascade --local --yes --output-dir output/local\n',
);
