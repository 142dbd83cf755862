import path from 'node:path';

let installed = false;

/**
 * Test-only shim for one jongodb limitation: it refuses findAndModify with `remove: true` when
 * `new` or `upsert` is also present, and the driver's findOneAndDelete always sends `new: false,
 * upsert: false` (MongoDB accepts them). The command is edited just before the driver puts it on
 * the wire: the two false flags are dropped, which means the same thing. Installed by the tests
 * only when the lane's probe found the limitation; never used by the services.
 */
export function installFindAndModifyShim(): void {
  if (installed) return;
  installed = true;
  // The driver instance mongoose uses (pnpm gives each dependant its own resolution).
  const driverDir = path.dirname(require.resolve('mongodb/package.json', { paths: [path.dirname(require.resolve('mongoose'))] }));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file of that driver copy, found at run time
  const { Connection } = require(path.join(driverDir, 'lib/cmap/connection')) as {
    Connection: { prototype: { command: (ns: unknown, cmd: Record<string, unknown>, ...rest: unknown[]) => unknown } };
  };
  const command = Connection.prototype.command;
  Connection.prototype.command = function (ns, cmd, ...rest) {
    if (cmd.findAndModify !== undefined && cmd.remove === true && cmd.new === false && cmd.upsert === false) {
      const { new: _new, upsert: _upsert, ...edited } = cmd;
      return command.call(this, ns, edited, ...rest);
    }
    return command.call(this, ns, cmd, ...rest);
  };
}
