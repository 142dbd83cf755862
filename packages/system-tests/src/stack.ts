import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  formatLine,
  freeReplicaPorts,
  freeStackPorts,
  REPO_ROOT,
  startStack,
  streamSink,
  type Stack,
  type StackOptions,
} from '@oms/dev-stack';

export interface SuiteStack {
  stack: Stack;
  dataDir: string;
  /** Stops every process and removes the data dir; safe to call after a failed test. */
  close(): Promise<void>;
}

/**
 * The whole embedded stack for one suite: free ports, a fresh data dir, and the services' logs in
 * artifacts/system-tests/<suite>.log (E2E_LOGS=1 also streams them to the console).
 */
export async function startSuiteStack(suite: string, env: StackOptions['env'], replicas = 1): Promise<SuiteStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `oms-${suite}-`));
  const logPath = path.join(REPO_ROOT, `artifacts/system-tests/${suite}.log`);
  fs.mkdirSync(path.dirname(logPath), { recursive: true });
  const logFile = fs.createWriteStream(logPath);
  const echo = process.env.E2E_LOGS ? streamSink(process.stdout) : null;
  const cleanUp = () => {
    logFile.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  let stack: Stack;
  try {
    const ports = await freeStackPorts();
    stack = await startStack({
      ports,
      replicas,
      replicaPorts: await freeReplicaPorts(replicas - 1, ports),
      dataDir,
      log: (part, line) => {
        logFile.write(`${formatLine(part, line)}\n`);
        echo?.(part, line);
      },
      env,
    });
  } catch (err) {
    cleanUp();
    throw err;
  }
  return {
    stack,
    dataDir,
    async close() {
      await stack.stop();
      cleanUp();
    },
  };
}
