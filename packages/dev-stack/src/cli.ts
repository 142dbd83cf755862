/**
 * `pnpm start` (all) / `pnpm start:infra` (infra): the embedded stack in the foreground with one
 * prefixed log stream; Ctrl-C or SIGTERM stops every child. Exits non-zero when a part cannot start
 * (a taken port included) or dies on its own. `pnpm start --replicas N` (or OMS_REPLICAS=N) runs N
 * replicas of each service on consecutive ports, sharing the databases and queues.
 */
import { parseArgs } from 'node:util';
import { streamSink } from './log-format';
import { PortInUseError } from './ports';
import { startStack, type Stack } from './stack';

const usage = 'usage: cli.ts all|infra [--replicas N]';
let mode: string;
let replicas: number;
try {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { replicas: { type: 'string' } } });
  mode = positionals[0] ?? 'all';
  replicas = Number(values.replicas ?? process.env.OMS_REPLICAS ?? 1);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n${usage}\n`);
  process.exit(2);
}
if ((mode !== 'all' && mode !== 'infra') || !Number.isInteger(replicas) || replicas < 1 || replicas > 16) {
  process.stderr.write(`${usage} (got "${process.argv.slice(2).join(' ')}"; N is 1 to 16)\n`);
  process.exit(2);
}

function banner(stack: Stack): string {
  const { ports } = stack;
  const rows: [string, string][] = [];
  if (mode === 'all') {
    const local = (url: string) => url.replace('127.0.0.1', 'localhost');
    rows.push(
      ['Order API', `http://localhost:${ports.order}/api`],
      ['API docs', `http://localhost:${ports.order}/docs`],
      ['Admin dashboard', `http://localhost:${ports.order}/admin`],
      ['Processing health', `http://localhost:${ports.processing}/processor/api/health`],
    );
    if (stack.urls.orders.length > 1) {
      rows.push(
        ['Order replicas', stack.urls.orders.map(local).join(' ')],
        ['Processing replicas', stack.urls.processings.map(local).join(' ')],
      );
    }
  }
  rows.push(
    ['Mail UI (maildev)', `http://localhost:${ports.mailWeb}`],
    ['SMTP', `localhost:${ports.smtp}`],
    ['SQS endpoint', `http://localhost:${ports.sqs}`],
    ['Data dir', stack.dataDir],
  );
  const width = Math.max(...rows.map(([k]) => k.length));
  return [
    '',
    `OMS ${mode === 'all' ? 'stack' : 'infrastructure'} is ready:`,
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    '  Ctrl-C stops everything.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  let stack: Stack | null = null;
  let stopping: Promise<void> | null = null;
  const shutdown = (code: number) => {
    stopping ??= (stack?.stop() ?? Promise.resolve()).then(() => process.exit(code));
    return stopping;
  };
  // A signal while starting is honoured once startStack returns (or fails and cleans up itself).
  let signalled = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      signalled = true;
      if (stack) {
        process.stdout.write(`\n${sig}: stopping…\n`);
        void shutdown(0);
      }
    });
  }

  try {
    stack = await startStack({ parts: mode as 'all' | 'infra', replicas, log: streamSink(process.stdout) });
  } catch (err) {
    const message = err instanceof PortInUseError ? `cannot start: ${err.message}` : (err as Error).message;
    process.stderr.write(`\n${message}\n`);
    process.exit(1);
  }
  if (signalled) return void shutdown(0);

  for (const part of stack.parts) {
    part.on('exit', (code: number | null, signal: string | null, expected: boolean) => {
      if (expected) return;
      process.stderr.write(`\n[${part.name}] exited unexpectedly (${signal ?? `code ${code}`}); stopping the stack\n`);
      void shutdown(1);
    });
  }
  process.stdout.write(banner(stack));
}

void main();
