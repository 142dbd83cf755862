import { skipMarker, skippedFor } from '../src/mongo/capabilities';
import { jongodbBinary, startJongodb } from '../src/mongo/jongodb';

describe('MongoDB lane tooling', () => {
  it('reads back why a test was skipped from the marker in its title, and nothing from other titles', () => {
    expect(skippedFor(`never oversells ${skipMarker(['concurrency'])}`)).toBe('concurrency');
    expect(skippedFor(`plans ${skipMarker(['dropIndexes', 'explain'])}`)).toBe('dropIndexes, explain');
    expect(skippedFor('a test that mentions [skipped: needs] in passing')).toBeNull();
  });

  const binary = jongodbBinary();
  (binary ? it : it.skip)('starts a fresh jongodb on a free port, polled monitoring, and stops it by its PID', async () => {
    const server = await startJongodb(binary!);
    const url = new URL(server.uri);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
    expect(url.searchParams.get('replicaSet')).toBe('rs0');
    expect(url.searchParams.get('serverMonitoringMode')).toBe('poll');
    expect(() => process.kill(server.pid, 0)).not.toThrow();
    await server.stop();
    expect(() => process.kill(server.pid, 0)).toThrow();
  });
});
