import { EventEmitter } from 'node:events';
import { keepWatching, type WatchStream } from '../src/keep-watching';

// The reopening rules with a stand-in stream; mongo.test.ts runs it on a real change stream.

class FakeStream extends EventEmitter implements WatchStream {
  closed = false;
  async close() {
    this.closed = true;
    this.emit('close');
  }
}

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('keepWatching', () => {
  let streams: FakeStream[];
  let changes: number;
  let errors: unknown[];
  let delays: number[];
  let stop: () => void;

  beforeEach(() => {
    streams = [];
    changes = 0;
    errors = [];
    delays = [];
    stop = keepWatching(
      () => {
        const s = new FakeStream();
        streams.push(s);
        return s;
      },
      () => changes++,
      (err) => errors.push(err),
      (failures) => (delays.push(failures), 0),
    );
  });
  afterEach(() => stop());

  it('passes changes on', () => {
    streams[0]!.emit('change');
    streams[0]!.emit('change');
    expect(changes).toBe(2);
    expect(streams).toHaveLength(1);
  });

  it('reports a failed stream, closes it and opens a new one, backing off while failures repeat', async () => {
    const boom = new Error('non-resumable');
    streams[0]!.emit('error', boom);
    expect(errors).toEqual([boom]);
    expect(streams[0]!.closed).toBe(true);
    await nextTurn();
    expect(streams).toHaveLength(2);
    streams[1]!.emit('error', new Error('again'));
    await nextTurn();
    expect(streams).toHaveLength(3);
    expect(delays).toEqual([1, 2]);
    streams[2]!.emit('change');
    streams[2]!.emit('error', new Error('later'));
    await nextTurn();
    expect(delays).toEqual([1, 2, 1]);
    expect(changes).toBe(1);
  });

  it.each(['close', 'end'])("reopens a stream the server ended (an invalidate): '%s'", async (event) => {
    streams[0]!.emit(event);
    expect(errors).toEqual([expect.objectContaining({ message: `change stream stopped ('${event}')` })]);
    await nextTurn();
    expect(streams).toHaveLength(2);
    streams[1]!.emit('change');
    expect(changes).toBe(1);
  });

  it('stops for good: closes the stream and opens no other, even when a reopen was due', async () => {
    streams[0]!.emit('error', new Error('x'));
    stop();
    await nextTurn();
    expect(streams).toHaveLength(1);
    stop = keepWatching(
      () => {
        const s = new FakeStream();
        streams.push(s);
        return s;
      },
      () => changes++,
    );
    stop();
    expect(streams[1]!.closed).toBe(true);
    await nextTurn();
    expect(streams).toHaveLength(2);
    expect(errors).toHaveLength(1);
  });
});
