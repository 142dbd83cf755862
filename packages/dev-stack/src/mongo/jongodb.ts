import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

/** The npm package that ships jongodb's native binary; published for linux-x64-gnu only. */
export const JONGODB_PACKAGE = '@jongodb/memory-server-bin-linux-x64-gnu';

const READY_TIMEOUT_MS = 30_000;

/** The installed binary, or null where the optional package was not installed (another platform). */
export function jongodbBinary(): string | null {
  try {
    const pkgJson = require.resolve(`${JONGODB_PACKAGE}/package.json`);
    const pkg = JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version: string; jongodb?: { binary?: string } };
    const binary = path.join(path.dirname(pkgJson), pkg.jongodb?.binary ?? 'bin/jongodb');
    return fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

export interface Jongodb {
  /** mongodb://127.0.0.1:<port>/oms?replicaSet=rs0&serverMonitoringMode=poll */
  uri: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * A fresh in-memory jongodb (single-node replica set rs0) on a free port. It prints
 * `JONGODB_URI=...` once it listens. serverMonitoringMode=poll is added to the URI: jongodb
 * advertises topologyVersion but has no streaming monitoring, and the driver's streaming monitor
 * then drops its pool at random (MongoPoolClearedError).
 */
export function startJongodb(binary: string): Promise<Jongodb> {
  const child = spawn(binary, ['--port=0', '--topology-profile=singleNodeReplicaSet', '--replica-set-name=rs0', '--database=oms'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`jongodb did not print its URI within ${READY_TIMEOUT_MS} ms:\n${output.join('\n')}`));
    }, READY_TIMEOUT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`jongodb exited (${signal ?? code}) before it was ready:\n${output.join('\n')}`));
    });
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      const uri = /^JONGODB_URI=(\S+)/.exec(line)?.[1];
      if (!uri || child.pid === undefined) return;
      clearTimeout(timer);
      const url = new URL(uri);
      url.searchParams.set('serverMonitoringMode', 'poll');
      resolve({ uri: url.toString(), pid: child.pid, stop });
    });
  });
}
