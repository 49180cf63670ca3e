// A service that failed to start is explained by its error lines, not by the shutdown chatter that follows them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { failureExcerpt } from '../../../src/devstack/process';

const logWith = (lines: string[]) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'excerpt-')), 'service.log');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
};

describe('failure excerpt', () => {
  it('shows the error lines of a log that ends in shutdown chatter', () => {
    const file = logWith([
      'INFO starting',
      'ERROR Unable to start acceptor',
      'org.apache.kafka.common.KafkaException: Socket server failed to bind to 127.0.0.1:9092: Address already in use.',
      ...Array.from({ length: 40 }, (_, i) => `INFO shutting down part ${i}`),
    ]);
    expect(failureExcerpt(file).split('\n')).toEqual([
      'ERROR Unable to start acceptor',
      'org.apache.kafka.common.KafkaException: Socket server failed to bind to 127.0.0.1:9092: Address already in use.',
    ]);
  });

  it('falls back to the last lines when nothing looks like an error', () => {
    const file = logWith(Array.from({ length: 30 }, (_, i) => `line ${i}`));
    expect(failureExcerpt(file, 3).trim().split('\n')).toEqual(['line 27', 'line 28', 'line 29']);
  });
});
