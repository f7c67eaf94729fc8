import { describe, expect, it } from 'vitest';
import { redactedCommand, withoutSetFlags } from './rerun.js';

describe('redactedCommand', () => {
  it('hides the values of secret --set keys, in both forms, and keeps the others', () => {
    expect(redactedCommand(['--mulesoft', '--set', 'SILVER_PASSWORD=hunter2!', '--set=API_TOKEN=abc', '--set', 'PORT=9090', '--yes'])).toBe(
      "okta-bootstrap --mulesoft --set 'SILVER_PASSWORD=********' '--set=API_TOKEN=********' --set PORT=9090 --yes",
    );
    expect(redactedCommand(['--set', 'CLIENT_SECRET=x', '--set', 'GOLD_PWD=y'])).toBe("okta-bootstrap --set 'CLIENT_SECRET=********' --set 'GOLD_PWD=********'");
  });

  it('leaves what is not a --set value alone, and quotes what a shell would split', () => {
    expect(redactedCommand(['--input', 'my file.json', '--tag', 'PASSWORD=x'])).toBe("okta-bootstrap --input 'my file.json' --tag PASSWORD=x");
    expect(redactedCommand(['--set'])).toBe('okta-bootstrap --set');
    expect(redactedCommand([])).toBe('okta-bootstrap');
  });
});

describe('withoutSetFlags', () => {
  it('drops --new-tag and --tag in both forms, and keeps everything else (also after --)', () => {
    expect(withoutSetFlags(['--mulesoft', '--new-tag', '--yes'])).toEqual(['--mulesoft', '--yes']);
    expect(withoutSetFlags(['--tag', 'tA', '--input', 'x.json', '--tag=tB', '--set', 'TAG=t'])).toEqual(['--input', 'x.json', '--set', 'TAG=t']);
    expect(withoutSetFlags(['--mulesoft', '--', '--new-tag'])).toEqual(['--mulesoft', '--', '--new-tag']);
  });
});
