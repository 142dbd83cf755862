// The SMTP connection pool's thread (see smtp-pool.ts): nodemailer's pool with the options it was
// started with. Plain JavaScript, so it runs the same under tsx, jest and the Docker bundle.
const { parentPort, workerData } = require('node:worker_threads');
const nodemailer = require('nodemailer');

const transport = nodemailer.createTransport(workerData.options);

/** nodemailer's error fields that say what went wrong (see domain/smtp-failure.ts). */
const describe = (err) => ({
  message: String(err?.message ?? err),
  code: typeof err?.code === 'string' ? err.code : undefined,
  responseCode: typeof err?.responseCode === 'number' ? err.responseCode : undefined,
  response: typeof err?.response === 'string' ? err.response : undefined,
});

parentPort.on('message', (msg) => {
  if (msg.type === 'close') {
    transport.close();
    parentPort.close();
    return;
  }
  const work = msg.type === 'verify' ? transport.verify() : transport.sendMail({ envelope: msg.envelope, raw: msg.raw });
  work.then(
    () => parentPort.postMessage({ id: msg.id }),
    (err) => parentPort.postMessage({ id: msg.id, error: describe(err) }),
  );
});
