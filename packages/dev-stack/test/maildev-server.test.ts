import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startStack, type Stack } from '../src';
import { freeStackPorts } from '../src/ports';

/** An SMTP client that streams a large message and then vanishes with a TCP reset mid-DATA. */
function sendAndReset(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.once('data', () => {
      socket.write(`EHLO crash\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\nDATA\r\nSubject: x\r\n\r\n${'y'.repeat(200_000)}\r\n.\r\n`);
      setTimeout(() => {
        socket.resetAndDestroy();
        resolve();
      }, 1);
    });
    setTimeout(resolve, 300);
  });
}

describe('the mail catcher', () => {
  let stack: Stack | undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-maildev-'));
  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps running when SMTP clients die mid-message (as a kill -9 of the processing service does)', async () => {
    stack = await startStack({ parts: 'infra', ports: await freeStackPorts(), dataDir, log: () => {} });
    for (let i = 0; i < 100; i++) await sendAndReset(stack.ports.smtp);
    const res = await fetch(`${stack.urls.mailWeb}/email`);
    expect(res.status).toBe(200);
  }, 60_000);
});
