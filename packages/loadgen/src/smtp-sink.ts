import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SinkStats {
  accepted: number;
  bytes: number;
}

/**
 * A discarding SMTP server: accepts every message, counts it, keeps nothing. Benchmarks deliver
 * here because maildev stores every mail and tops out near 730/s, below what we measure. The
 * counts are served as JSON on GET /stats.
 */
export async function startSmtpSink(opts: { smtpPort?: number; statsPort?: number } = {}) {
  const stats: SinkStats = { accepted: 0, bytes: 0 };
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // Pooled clients reuse connections; let them send as many as they like.
    maxClients: 1000,
    onData(stream, _session, callback) {
      stream.on('data', (chunk: Buffer) => {
        stats.bytes += chunk.length;
      });
      stream.on('end', () => {
        stats.accepted++;
        callback();
      });
    },
  });
  smtp.on('error', () => undefined); // a client hanging up mid-session is not the sink's problem
  await new Promise<void>((resolve) => smtp.listen(opts.smtpPort ?? 0, '127.0.0.1', resolve));
  const statsServer = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(stats));
  });
  await new Promise<void>((resolve) => statsServer.listen(opts.statsPort ?? 0, '127.0.0.1', resolve));
  return {
    smtpPort: (smtp.server.address() as AddressInfo).port,
    statsPort: (statsServer.address() as AddressInfo).port,
    stats: () => ({ ...stats }),
    close: () =>
      Promise.all([new Promise<void>((r) => smtp.close(() => r())), new Promise<void>((r) => statsServer.close(() => r()))]).then(
        () => undefined,
      ),
  };
}

/** Run as its own process (the bench does), so the sink's CPU is not the bench's. */
if (require.main === module) {
  startSmtpSink({ smtpPort: Number(process.env.SINK_SMTP_PORT ?? 0), statsPort: Number(process.env.SINK_STATS_PORT ?? 0) }).then(
    (sink) => {
      process.stdout.write(`smtp sink listening smtp=${sink.smtpPort} stats=${sink.statsPort}\n`);
      const stop = () => void sink.close().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    (err: unknown) => {
      process.stderr.write(`smtp sink failed: ${String(err)}\n`);
      process.exit(1);
    },
  );
}
