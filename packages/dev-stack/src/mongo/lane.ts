/**
 * `pnpm test:mongo`: every MongoDB suite (files named mongo.test.ts: the stores of both services,
 * the outbox, the platform, and the end-to-end order flow) against MONGODB_URI when it is set,
 * otherwise against a fresh jongodb started here and stopped by PID. The server's capabilities are
 * probed once; tests needing what it lacks are skipped, and the summary says which and why.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../stack';
import { CAPABILITIES, LACKS_ENV, probeCapabilities, skippedFor, type Capability } from './capabilities';
import { JONGODB_PACKAGE, jongodbBinary, startJongodb, type Jongodb } from './jongodb';

const say = (line: string) => process.stdout.write(`mongo lane: ${line}\n`);

interface JestAssertion {
  title: string;
  status: 'passed' | 'failed' | 'pending' | 'skipped' | 'todo' | 'disabled';
}
interface JestReport {
  testResults: { name: string; assertionResults: JestAssertion[] }[];
}

function runJest(env: NodeJS.ProcessEnv, reportPath: string, args: string[]): Promise<number> {
  const jest = require.resolve('jest/bin/jest', { paths: [REPO_ROOT] });
  // 30 s a test: every store call is a network round trip here, and the claim of 257 outbox rows
  // in the bulk test is 257 of them, on cores shared with the end-to-end stack.
  const lane = ['--testPathPatterns', 'mongo\\.test\\.ts$', '--testTimeout', '30000', '--json', '--outputFile', reportPath];
  const child = spawn(process.execPath, [jest, ...lane, ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: 'inherit',
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

function summarise(report: JestReport): { ran: number; failed: number; skipped: Map<string, number> } {
  let ran = 0;
  let failed = 0;
  const skipped = new Map<string, number>();
  for (const file of report.testResults) {
    for (const t of file.assertionResults) {
      if (t.status === 'passed') ran++;
      else if (t.status === 'failed') {
        ran++;
        failed++;
      } else {
        const caps = skippedFor(t.title) ?? 'no capability marker';
        skipped.set(caps, (skipped.get(caps) ?? 0) + 1);
      }
    }
  }
  return { ran, failed, skipped };
}

async function main(): Promise<number> {
  const started = Date.now();
  let server: Jongodb | null = null;
  let uri = process.env.MONGODB_URI;
  if (uri) {
    say(`MONGODB_URI is set: running against ${new URL(uri).host}`);
  } else {
    const binary = jongodbBinary();
    if (!binary) {
      say(
        `skipped: no jongodb binary for ${process.platform}-${process.arch} (${JONGODB_PACKAGE} is optional); set MONGODB_URI to a replica set to run the MongoDB suites`,
      );
      return 0;
    }
    server = await startJongodb(binary);
    uri = server.uri;
    say(`jongodb pid ${server.pid} at ${new URL(uri).host} (fresh, in memory)`);
  }
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-mongo-lane-'));
  try {
    const lacks = await probeCapabilities(uri);
    const missing = Object.keys(lacks) as Capability[];
    say(missing.length === 0 ? 'the server has every capability the suites use' : `the server lacks: ${missing.join(', ')}`);
    const reportPath = path.join(reportDir, 'report.json');
    const code = await runJest({ ...process.env, MONGODB_URI: uri, [LACKS_ENV]: JSON.stringify(lacks) }, reportPath, process.argv.slice(2));
    if (!fs.existsSync(reportPath)) return code || 1;
    const { ran, failed, skipped } = summarise(JSON.parse(fs.readFileSync(reportPath, 'utf8')) as JestReport);
    const skippedTotal = [...skipped.values()].reduce((a, b) => a + b, 0);
    say(
      `${ran} MongoDB tests ran (${ran - failed} passed, ${failed} failed), ${skippedTotal} skipped, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    for (const [caps, count] of skipped) {
      const why = caps
        .split(', ')
        .map((c) => (c in CAPABILITIES ? `${c}: the server ${CAPABILITIES[c as Capability]}` : c))
        .join('; ');
      say(`  skipped ${count}: ${why}`);
    }
    if (lacks.findAndModifyRemove) say(`  shimmed in the tests: the server ${lacks.findAndModifyRemove}`);
    if (ran === 0) {
      say('no MongoDB test ran: failing');
      return 1;
    }
    return code;
  } finally {
    fs.rmSync(reportDir, { recursive: true, force: true });
    await server?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`mongo lane failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
