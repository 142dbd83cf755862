// Starts fauxqs in this process on 127.0.0.1 only. Its CLI and startFauxqs() both listen on
// 0.0.0.0, which would open a credential-less SQS (order events with customer names and emails,
// status events anyone could forge) to the network; its CLI also logs every request. buildApp()
// is the same server (startFauxqs() wraps it), listened on by us: FAUXQS_PORT and FAUXQS_LOGGER
// are honoured as before.
import { buildApp } from 'fauxqs';

const port = Number(process.env.FAUXQS_PORT ?? 4566);
const app = buildApp({ logger: (process.env.FAUXQS_LOGGER ?? 'false') !== 'false' });
await app.listen({ port, host: '127.0.0.1' });
console.log(`Server listening at http://127.0.0.1:${app.server.address().port}`);

const shutdown = () =>
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
