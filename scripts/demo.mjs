#!/usr/bin/env node
// npm run demo: the whole MuleSoft sequence against the embedded local tenant, no Okta account needed.
// It keeps its files apart from a real setup: output in output/local/, values in .okta-local/demo.env.
// npm run demo -- --app: then keeps the local tenant, the gateway and the sample app running until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputDir = 'output/local';
const envFile = '.okta-local/demo.env';
const common = ['--local', '--output-dir', outputDir, '--env-file', envFile];
const keepRunning = process.argv.slice(2).includes('--app');

const shown = (bin, args) => [bin, ...args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');

function run(bin, args, { allowFail = false } = {}) {
  process.stdout.write(`\n\u001b[1m$ ${shown(bin, args)}\u001b[22m\n`);
  const r = spawnSync(process.execPath, ['--', join(root, 'bin', `${bin}.js`), ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0 && !allowFail) {
    process.stderr.write(`\nThe demo stopped: "${shown(bin, args)}" exited with ${r.status}.\n`);
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
const appArgs = ['app', '--mulesoft', ...common];
const gatewayArgs = ['gateway', '--mulesoft', ...common];
process.stdout.write(
  `\nDone. Output files are in ${outputDir}/, the app's values in ${envFile}.\n` +
    'Run it again: nothing is created twice. Clean up: okta-bootstrap destroy --mulesoft --cascade --local --yes --output-dir output/local\n' +
    `  and the registered client: okta-bootstrap destroy --output ${outputDir}/register-client.json --local --yes\n` +
    `\nTry it in a browser: npm run demo -- --app (keeps everything running), or in two terminals\n` +
    `  okta-bootstrap ${gatewayArgs.join(' ')}\n` +
    `  okta-bootstrap ${appArgs.join(' ')}\n` +
    `and open ${out.REDIRECT_URI}. Sign in as ${out.SILVER_USER?.profile?.login ?? 'the silver user'} or ${out.GOLD_USER?.profile?.login ?? 'the gold user'}` +
    ` (passwords: get-settings --mulesoft --show-secrets ${common.join(' ')}).\n`,
);
if (!keepRunning) process.exit(0);

// --app: the local tenant (local serve, so the gateway and the app share it), the gateway and the app, until Ctrl-C.
const children = [];
function start(args, ready) {
  process.stdout.write(`\n\u001b[1m$ ${shown('okta-bootstrap', args)} &\u001b[22m\n`);
  const child = spawn(process.execPath, ['--', join(root, 'bin', 'okta-bootstrap.js'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let seen = '';
  return new Promise((resolve, reject) => {
    const onData = (stream) => (d) => {
      stream.write(d);
      seen += d;
      if (ready.test(seen)) resolve(child);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('exit', (code) => reject(new Error(`"${shown('okta-bootstrap', args)}" exited with ${code}`)));
  });
}
function stopAll() {
  for (const c of children.reverse()) if (c.exitCode === null) c.kill('SIGINT');
}
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);
try {
  await start(['local', 'serve'], /OKTA_API_TOKEN=/);
  await start(gatewayArgs, /Press Ctrl-C/);
  await start(appArgs, /Press Ctrl-C/);
  process.stdout.write(`\nOpen ${out.REDIRECT_URI} in a browser. Ctrl-C stops the app, the gateway and the local tenant.\n`);
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode === null ? c.on('exit', r) : r()))));
} catch (e) {
  process.stderr.write(`\nThe demo stopped: ${e.message}\n`);
  stopAll();
  process.exitCode = 1;
}
