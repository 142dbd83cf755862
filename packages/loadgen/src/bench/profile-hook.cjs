// Preloaded into a service by `pnpm bench --profile DIR` (NODE_OPTIONS=--require): samples the
// CPU from start to exit and writes DIR/<pid>.cpuprofile (open it in Chrome DevTools).
// --cpu-prof itself is not allowed in NODE_OPTIONS, hence the inspector session.
const fs = require('node:fs');
const inspector = require('node:inspector');

const dir = process.env.OMS_PROFILE_DIR;
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.start'));
let written = false;
function write() {
  if (written) return;
  written = true;
  session.post('Profiler.stop', (err, result) => {
    if (err) return;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${dir}/${process.pid}.cpuprofile`, JSON.stringify(result.profile));
  });
}
// The services exit through process.exit after a graceful stop; the inspector answers synchronously then.
process.on('exit', write);
