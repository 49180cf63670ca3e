// One-time install commands: output kept in a log and read line by line; a failure quotes the log; a cancel stops
// the command and everything it started.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runInstallCommand } from '../../../src/devstack/install-command';

const logFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'install-')), 'install.log');

describe('install command', () => {
  it('feeds every output line to the progress reader and keeps them in the log', async () => {
    const lines: string[] = [];
    const file = logFile();
    await runInstallCommand({
      command: 'sh',
      args: ['-c', 'echo "go: downloading a v1"; echo pkg/one >&2; echo pkg/two'],
      logFile: file,
      onLine: (l) => lines.push(l),
    });
    expect(lines.sort()).toEqual(['go: downloading a v1', 'pkg/one', 'pkg/two']);
    expect(fs.readFileSync(file, 'utf8')).toContain('pkg/two');
  });

  it('fails with the exit code, the last log lines and the log path', async () => {
    const file = logFile();
    await expect(
      runInstallCommand({
        command: 'sh',
        args: ['-c', 'echo compiling; echo "fatal: no module" >&2; exit 3'],
        logFile: file,
      }),
    ).rejects.toMatchObject({
      code: 'install_failed',
      logFile: file,
      message: expect.stringMatching(/sh exited with 3; last lines:[\s\S]*fatal: no module/),
    });
  });

  it('says plainly when the tool is missing', async () => {
    await expect(
      runInstallCommand({ command: 'no-such-tool-here', args: [], logFile: logFile() }),
    ).rejects.toMatchObject({
      code: 'install_failed',
      message: 'no-such-tool-here is not installed or not on PATH',
    });
  });

  it('stops the command and its children when cancelled', async () => {
    const file = logFile();
    const pidFile = `${file}.child`;
    const controller = new AbortController();
    const running = runInstallCommand({
      command: 'sh',
      args: ['-c', `sleep 30 & echo $! > ${pidFile}; echo started; wait`],
      logFile: file,
      signal: controller.signal,
      onLine: (l) => l === 'started' && controller.abort(),
    });
    await expect(running).rejects.toMatchObject({ message: 'sh was interrupted' });
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    // The backgrounded sleep is gone too (or a zombie waiting for a reaper, where PID 1 does not reap).
    const state = fs.existsSync(`/proc/${grandchild}/stat`)
      ? fs.readFileSync(`/proc/${grandchild}/stat`, 'utf8').split(') ')[1]?.[0]
      : 'gone';
    expect(['gone', 'Z', 'X']).toContain(state);
  });
});
