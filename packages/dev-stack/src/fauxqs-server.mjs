// Starts fauxqs in this process. Its own CLI hard-codes `logger: true`, which logs every SQS
// request (slow under load, noisy in `pnpm start`); startFauxqs() without options honours
// FAUXQS_PORT and FAUXQS_LOGGER instead.
import { startFauxqs } from 'fauxqs';

const server = await startFauxqs();
console.log(`Server listening at http://127.0.0.1:${server.port}`);

const shutdown = () => server.stop().then(() => process.exit(0), () => process.exit(1));
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
