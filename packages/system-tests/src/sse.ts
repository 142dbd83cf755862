/** One Server-Sent Event as a browser's EventSource would dispatch it. */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

export interface SseClient {
  status: number;
  /** Every event received so far, in arrival order. */
  events: SseEvent[];
  /** The last id seen (events and id-only blocks), as EventSource sends it in Last-Event-ID. */
  lastEventId(): string | undefined;
  /** Resolves when the server ends the stream or the connection breaks. */
  ended: Promise<void>;
  close(): void;
}

/** Connects to an SSE endpoint and collects its events (what EventSource does, minus reconnecting). */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  let lastId: string | undefined;
  const ended = (async () => {
    if (!res.body || res.status !== 200) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let id: string | undefined;
          let event: string | undefined;
          const data: string[] = [];
          for (const line of block.split('\n')) {
            const at = line.indexOf(':');
            if (at === 0) continue;
            const field = at < 0 ? line : line.slice(0, at);
            const value = at < 0 ? '' : line.slice(at + 1).replace(/^ /, '');
            if (field === 'id') id = value;
            else if (field === 'event') event = value;
            else if (field === 'data') data.push(value);
          }
          if (id !== undefined) lastId = id;
          if (event !== undefined) events.push({ id, event, data: data.join('\n') });
        }
      }
    } catch {
      // aborted by close() or the server went away: both end the stream
    }
  })();
  return { status: res.status, events, lastEventId: () => lastId, ended, close: () => abort.abort() };
}
