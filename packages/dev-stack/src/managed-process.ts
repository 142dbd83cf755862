import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogSink, PartName } from './log-format';
import { describe, httpOk, tcpOpen, type ReadyCheck } from './readiness';

export interface ProcessSpec {
  name: PartName;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  ready: ReadyCheck[];
  readyTimeoutMs: number;
  stopGraceMs: number;
  log?: LogSink | undefined;
  /**
   * The command is a wrapper such as `pnpm run`, which exits at once on a signal while the program
   * it started still shuts down: stop() then signals the whole group, as a terminal's Ctrl-C does,
   * and waits for the group to be gone instead of killing what the leader leaves behind.
   */
  wrapper?: boolean;
}

export class StartError extends Error {
  constructor(
    readonly part: PartName,
    reason: string,
    readonly lastLines: string[],
  ) {
    const tail = lastLines.length > 0 ? lastLines.map((l) => `  | ${l}`).join('\n') : '  (no output)';
    super(`${part} failed to start: ${reason}\nlast log lines of ${part}:\n${tail}`);
    this.name = 'StartError';
  }
}

const TAIL_LINES = 200;
const POLL_MS = 100;

/** Every group still running, so that even an abrupt exit of the launcher leaves no orphans. */
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
});

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

function signalLeader(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already exited; 'close' is on its way.
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One child of the stack, spawned in its own process group: a wrapper (such as the `tsx` CLI) may
 * run the real program in a grandchild, so a SIGKILL must reach the whole group or that program
 * would survive as an orphan holding its port. Emits 'exit' (code, signal, expected) whenever the
 * child ends.
 */
export class ManagedProcess extends EventEmitter {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private expectingExit = false;
  private readonly lines: string[] = [];

  constructor(readonly spec: ProcessSpec) {
    super();
  }

  get name(): PartName {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** The last output lines (stdout and stderr interleaved), newest last. */
  tail(n = 30): string[] {
    return this.lines.slice(-n);
  }

  /** Spawns the child and resolves once every readiness check passes. */
  async start(): Promise<void> {
    if (this.child) throw new Error(`${this.name} is already running`);
    const { command, args, cwd, env } = this.spec;
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.expectingExit = false;
    const pending = new Set(this.spec.ready);
    const state = { exit: null as string | null };
    if (child.pid !== undefined) liveGroups.add(child.pid);

    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        this.lines.push(line);
        if (this.lines.length > TAIL_LINES) this.lines.shift();
        for (const check of pending) if (check.kind === 'line' && check.pattern.test(line)) pending.delete(check);
        this.spec.log?.(this.name, line);
      });
    }
    child.once('error', (err) => {
      state.exit = `could not spawn ${command}: ${err.message}`;
    });
    child.once('exit', (code, signal) => {
      state.exit = `exited before it was ready (${signal ? `signal ${signal}` : `code ${code}`})`;
      // The leader is gone; anything left in its group (an orphaned grandchild) goes too, unless a
      // wrapper's program is still shutting down on our stop().
      const wrapperStopping = this.expectingExit && this.spec.wrapper;
      if (child.pid !== undefined && !wrapperStopping && groupAlive(child.pid)) signalGroup(child.pid, 'SIGKILL');
    });
    this.exited = new Promise((resolve) => {
      // 'close' comes after 'exit' once the pipes are drained, so tail() then holds the last words.
      child.once('close', (code, signal) => {
        if (child.pid !== undefined) liveGroups.delete(child.pid);
        if (this.child === child) this.child = null;
        this.emit('exit', code, signal, this.expectingExit);
        resolve();
      });
    });

    const deadline = Date.now() + this.spec.readyTimeoutMs;
    while (pending.size > 0) {
      if (state.exit) return this.failStart(state.exit);
      if (Date.now() > deadline) {
        const waiting = [...pending].map(describe).join(', ');
        return this.failStart(`not ready after ${this.spec.readyTimeoutMs} ms (waiting for ${waiting})`);
      }
      for (const check of [...pending]) {
        if (check.kind !== 'line' && (await this.passes(check))) pending.delete(check);
      }
      if (pending.size > 0) await sleep(POLL_MS);
    }
  }

  /**
   * Sends a signal and resolves when the child has exited. SIGKILL goes to the whole group (a
   * crash); other signals go to the leader only (the service itself: stack.ts runs it under
   * `node --import tsx`), which must see exactly one SIGTERM to take its graceful path.
   */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    this.expectingExit = true;
    if (signal === 'SIGKILL') signalGroup(pid, signal);
    else signalLeader(pid, signal);
    await this.exited;
  }

  /** SIGTERM, then SIGKILL to the group after the grace period. */
  async stop(): Promise<void> {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    this.expectingExit = true;
    if (this.spec.wrapper) signalGroup(pid, 'SIGINT');
    else signalLeader(pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), this.spec.stopGraceMs);
    await this.exited;
    while (this.spec.wrapper && groupAlive(pid)) await sleep(POLL_MS);
    clearTimeout(timer);
  }

  /** Stops the child if it is still running, then starts it again with the same settings. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private passes(check: Exclude<ReadyCheck, { kind: 'line' }>): Promise<boolean> {
    return check.kind === 'tcp' ? tcpOpen(check.port) : httpOk(check.url);
  }

  private async failStart(reason: string): Promise<never> {
    const pid = this.child?.pid;
    if (pid !== undefined) {
      this.expectingExit = true;
      signalGroup(pid, 'SIGKILL');
      await this.exited;
    }
    throw new StartError(this.name, reason, this.tail(20));
  }
}
