import fs from 'node:fs';

/** Child pids by parent pid, from /proc (Linux). */
function childrenByParent(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces or parens, so split after the last ')'.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      map.set(ppid, [...(map.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  return map;
}

export function descendantsOf(pid: number, tree = childrenByParent()): number[] {
  const out: number[] = [];
  const stack = [...(tree.get(pid) ?? [])];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(tree.get(p) ?? []));
  }
  return out;
}

/** Peak resident set (VmHWM) of a process in MB, null when it is gone. */
export function peakRssMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** User + system CPU time a process has used so far, in ms (clock ticks of 10 ms), null when gone. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] and [12] are utime and stime (stat fields 14 and 15) in ticks of 1/100 s on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

const isNode = (pid: number): boolean => {
  try {
    return /^(node|MainThread)$/.test(fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
  } catch {
    return false;
  }
};

/** A named process; its node processes are those of its tree, or the process itself when `alone`. */
export interface Part {
  name: string;
  pid: number | undefined;
  alone?: boolean;
}

function nodeProcessesOf(parts: Part[]): { name: string; pids: number[] }[] {
  const tree = childrenByParent();
  return parts.flatMap(({ name, pid, alone }) =>
    pid === undefined ? [] : [{ name, pids: alone ? [pid] : [pid, ...descendantsOf(pid, tree)].filter(isNode) }],
  );
}

/**
 * Keeps the highest VmHWM seen per named part: the largest node process of the part's tree. That
 * is the service itself, whether tsx runs it in its own process or beneath a wrapper, and never a
 * helper such as esbuild. Sample often enough to see a process before it is restarted (VmHWM dies
 * with it).
 */
export class PeakRss {
  readonly peaksMb: Record<string, number> = {};

  sample(parts: Part[]): void {
    for (const { name, pids } of nodeProcessesOf(parts)) {
      for (const p of pids) {
        const mb = peakRssMb(p);
        if (mb !== null && mb > (this.peaksMb[name] ?? 0)) this.peaksMb[name] = Math.round(mb);
      }
    }
  }
}

/** CPU ms used so far by each named part: the sum over its node processes. */
export function cpuOfParts(parts: Part[]): Record<string, number> {
  return Object.fromEntries(nodeProcessesOf(parts).map(({ name, pids }) => [name, pids.reduce((sum, p) => sum + (cpuMs(p) ?? 0), 0)]));
}
