import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeStackPorts, startStack, type Stack } from '@oms/dev-stack';

export interface Mail {
  subject: string;
  to: { address: string; name: string }[];
  html: string;
  text: string;
}

export interface Infra {
  /** fauxqs is part 'sqs', maildev is part 'mail' (stop/start it to take SMTP down and up). */
  stack: Stack;
  /** What maildev has caught so far. */
  emails(): Promise<Mail[]>;
  stop(): Promise<void>;
}

/** The dev stack's fauxqs and maildev on free ports, their files in a fresh temp dir. */
export async function startInfra(): Promise<Infra> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'processing-infra-'));
  const stack = await startStack({ parts: 'infra', ports: await freeStackPorts(), dataDir });
  return {
    stack,
    async emails() {
      const res = await fetch(`${stack.urls.mailWeb}/email`);
      if (!res.ok) throw new Error(`maildev answered ${res.status}`);
      return (await res.json()) as Mail[];
    },
    async stop() {
      await stack.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value other than undefined; fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}${last ? `: ${last instanceof Error ? last.message : JSON.stringify(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
