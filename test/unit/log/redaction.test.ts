// Logging: one JSON line per event with the component, secrets censored wherever they appear.
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/log';

function capture(): { lines: () => Array<Record<string, unknown>>; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('tags each line with its component and redacts private keys, signatures and payment headers', () => {
    const out = capture();
    const logger = createLogger('node', {
      mode: 'production',
      logLevel: 'info',
      logFormat: 'json',
      destination: out.stream,
    });
    logger.info(
      {
        decisionId: 'proc-1',
        account: { privateKey: '0xsecret1' },
        config: { keys: { payer: '0xsecret2' } },
        headers: { 'payment-signature': 'secret3', accept: 'application/json' },
      },
      'paid',
    );
    const [line] = out.lines();
    expect(line).toMatchObject({
      component: 'node',
      decisionId: 'proc-1',
      msg: 'paid',
      headers: { accept: 'application/json' },
    });
    const text = JSON.stringify(line);
    for (const secret of ['0xsecret1', '0xsecret2', 'secret3']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });
});
