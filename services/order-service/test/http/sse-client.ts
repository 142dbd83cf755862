import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** One parsed Server-Sent Events block. */
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
  comments: string[];
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** Body of a non-200 answer. */
  body: string;
  /** The next block with an `event:` field (comments and id-only blocks are collected apart). */
  nextEvent(deadlineMs?: number): Promise<SseFrame>;
  /** Every block received so far, in order. */
  frames: SseFrame[];
  /** The last `id:` seen, as a browser would send it in Last-Event-ID. */
  lastEventId(): string | undefined;
  close(): void;
}

export const baseUrl = (app: FastifyInstance) => `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

function parseBlock(block: string): SseFrame {
  const frame: SseFrame = { comments: [] };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frame.comments.push(line.slice(1).trim());
    else {
      const at = line.indexOf(':');
      const field = at < 0 ? line : line.slice(0, at);
      const value = at < 0 ? '' : line.slice(at + 1).replace(/^ /, '');
      if (field === 'id') frame.id = value;
      else if (field === 'event') frame.event = value;
      else if (field === 'data') frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
      else if (field === 'retry') frame.retry = Number(value);
    }
  }
  return frame;
}

/** A real HTTP client for the stream (what EventSource does, minus reconnecting). */
export async function openSse(base: string, path: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(base + path, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const frames: SseFrame[] = [];
  let lastId: string | undefined;
  let consumed = 0;
  let ended = false;
  // Set while nextEvent() waits; the reader calls it when frames arrive or the stream ends.
  const waiter: { wake: (() => void) | null } = { wake: null };

  if (res.status !== 200) {
    return {
      status: res.status,
      headers: res.headers,
      body: await res.text(),
      frames,
      nextEvent: () => Promise.reject(new Error(`status ${res.status}`)),
      lastEventId: () => undefined,
      close: () => abort.abort(),
    };
  }
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffered += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const frame = parseBlock(buffered.slice(0, end));
          buffered = buffered.slice(end + 2);
          if (frame.id !== undefined) lastId = frame.id;
          frames.push(frame);
        }
        waiter.wake?.();
      }
    } catch {
      // aborted by close()
    }
    ended = true;
    waiter.wake?.();
  })();

  return {
    status: res.status,
    headers: res.headers,
    body: '',
    frames,
    lastEventId: () => lastId,
    async nextEvent(deadlineMs = 10_000) {
      const until = Date.now() + deadlineMs;
      for (;;) {
        while (consumed < frames.length) {
          const frame = frames[consumed++]!;
          if (frame.event !== undefined) return frame;
        }
        if (ended) throw new Error('stream ended');
        const left = until - Date.now();
        if (left <= 0) throw new Error('no event before the deadline');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiter.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        waiter.wake = null;
      }
    },
    close: () => abort.abort(),
  };
}
