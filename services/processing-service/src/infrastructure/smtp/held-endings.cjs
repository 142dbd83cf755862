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
      if (!end()) unconfirmed--; // its send is over meanwhile: the slot stays free
    }
  }

  /**
   * One mail's hold. A mail can be streamed more than once (the pool retries a mail over another
   * connection when a reused one was closed before any byte went); only the latest attempt may end.
   */
  function hold() {
    let released = false;
    let holdsSlot = false; // its ending went, no journaled reply yet
    let attempts = [];

    /** A nodemailer process function: `input` passed through, its last chunk and end held. */
    function stream(input) {
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
      const finish = () => {
        if (last !== null) out.push(last); // with the dot in one write
        flushed();
      };
      const attempt = {
        out,
        /** Called with a slot taken for this mail; false = the send is over, nothing to end. */
        end: () => {
          // An earlier attempt's ending still queued is dead: only the latest may end.
          if (released || out.destroyed || attempts.at(-1) !== attempt) return false;
          holdsSlot = true;
          finish();
          return true;
        },
      };
      attempts.push(attempt);
      const wait = () => {
        if (released || out.destroyed) return;
        if (holdsSlot) return finish(); // an earlier attempt's slot is still this mail's
        waiting.add(attempt.end);
        letGo();
      };
      out.once('resume', () => {
        readForSocket = true;
        if (flushed) wait();
      });
      out.once('close', () => waiting.delete(attempt.end));
      return pipeline(input, out, () => {});
    }

    return {
      stream,
      /**
       * The reply is journaled or the send failed: the mail's slots are free again, and an ending
       * still held can never go (a server may answer early, e.g. 421, and leave its stream open).
       */
      release() {
        if (released) return;
        released = true;
        for (const { end, out } of attempts) {
          waiting.delete(end);
          out.destroy();
        }
        attempts = [];
        if (holdsSlot) unconfirmed--;
        holdsSlot = false;
        letGo();
      },
    };
  }

  return {
    hold,
    /** Makes `transport` hold the ending of every mail sent with `{ endingHold: hold() }`. */
    install(transport) {
      // The hold must be the last stage, read only for the socket: DKIM signing and newline
      // conversion add stages after it that would read it (and take a slot) before the 354.
      if (transport.options.dkim || transport.options.newline) {
        throw new Error('held endings cannot be combined with the dkim or newline transport options');
      }
      transport.use('stream', (mail, done) => {
        const mailHold = mail.data.endingHold;
        if (mailHold) mail.message.processFunc((input) => mailHold.stream(input));
        done();
      });
    },
  };
}

module.exports = { createHeldEndings };
