/**
 * `pnpm start` (all) / `pnpm start:infra` (infra): the embedded stack in the foreground with one
 * prefixed log stream; Ctrl-C or SIGTERM stops every child. Exits non-zero when a part cannot start
 * (a taken port included) or dies on its own.
 */
import { streamSink } from './log-format';
import { PortInUseError } from './ports';
import { startStack, type Stack } from './stack';

const mode = process.argv[2] ?? 'all';
if (mode !== 'all' && mode !== 'infra') {
  process.stderr.write(`usage: cli.ts all|infra (got "${mode}")\n`);
  process.exit(2);
}

function banner(stack: Stack): string {
  const { ports } = stack;
  const rows: [string, string][] = [];
  if (mode === 'all') {
    rows.push(
      ['Order API', `http://localhost:${ports.order}/api`],
      ['API docs', `http://localhost:${ports.order}/docs`],
      ['Admin dashboard', `http://localhost:${ports.order}/admin`],
      ['Processing health', `http://localhost:${ports.processing}/processor/api/health`],
    );
  }
  rows.push(
    ['Mail UI (maildev)', `http://localhost:${ports.mailWeb}`],
    ['SMTP', `localhost:${ports.smtp}`],
    ['SQS endpoint', `http://localhost:${ports.sqs}`],
    ['Data dir', stack.dataDir],
  );
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['', `OMS ${mode === 'all' ? 'stack' : 'infrastructure'} is ready:`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`), '  Ctrl-C stops everything.', ''].join('\n');
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
    stack = await startStack({ parts: mode as 'all' | 'infra', log: streamSink(process.stdout) });
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
