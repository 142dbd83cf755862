// Held endings: the most duplicate emails one crash can cause, bounded (used by smtp-worker.cjs).
//
// A mail whose final dot the server may have but whose 250 the SMTP thread has not journaled yet
// is the one a kill -9 turns into a duplicate: the redelivery sends it again, and SMTP has no
// idempotent send. Each message streams over its connection as usual, but its last chunk and its
// end (after which nodemailer writes the dot) wait until fewer than `max` mails are in that state;
// the slot is freed once the reply is journaled (or the send failed). So a crash costs at most
// `max` duplicates. The wait starts only when the message is read for the socket, i.e. after the
// server's 354: the hold is the message's last stage (a process function), piped into nodemailer's
// dot-stuffing stream only then. The other connections' envelopes and contents overlap with it.
//
// The price is one round trip per mail, one mail at a time when max = 1: at most max / (the
// server's time to answer the dot) mails per second (measured here: ~1,100-1,400 mails/s into a
// local discarding server against ~1,800-2,100 unbounded, and ~300 µs more CPU per mail).
const { pipeline, Transform } = require('node:stream');

function createHeldEndings(max) {
  let unconfirmed = 0;
  const waiting = new Set(); // ends to let go; a Set keeps insertion order, so oldest first

  function letGo() {
    for (const end of waiting) {
      if (unconfirmed >= max) return;
      waiting.delete(end);
      unconfirmed++;
      end();
    }
  }

  /** One mail's hold (the pool may stream a mail again over another connection: one stream each). */
  function hold() {
    const ended = new Set();
    return {
      /** A nodemailer process function: `input` passed through, its last chunk and end held. */
      stream(input) {
        let readForSocket = false;
        let flushed = null;
        let last = null;
        const out = new Transform({
          transform(chunk, _encoding, done) {
            const previous = last;
            last = chunk;
            done(null, previous ?? undefined);
          },
          flush(done) {
            flushed = done;
            if (readForSocket) wait();
          },
        });
        const end = () => {
          ended.add(end);
          if (last !== null) out.push(last); // with the dot in one write
          flushed();
        };
        const wait = () => {
          waiting.add(end);
          letGo();
        };
        out.once('resume', () => {
          readForSocket = true;
          if (flushed) wait();
        });
        out.once('close', () => waiting.delete(end));
        return pipeline(input, out, () => {});
      },
      /** The reply is journaled (or the send failed): this mail's slots are free again. */
      release() {
        unconfirmed -= ended.size;
        ended.clear();
        letGo();
      },
    };
  }

  return {
    hold,
    /** Makes `transport` hold the ending of every mail sent with `{ endingHold: hold() }`. */
    install(transport) {
      transport.use('stream', (mail, done) => {
        const mailHold = mail.data.endingHold;
        if (mailHold) mail.message.processFunc((input) => mailHold.stream(input));
        done();
      });
    },
  };
}

module.exports = { createHeldEndings };
