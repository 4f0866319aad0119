// Phase clocks for `npm run bench:engine`, preloaded into every Node process the engine starts (the program
// and the policy pack) through NODE_OPTIONS=--require. It times the gRPC traffic of @grpc/grpc-js, whichever
// copy a process loads: the program's calls to the engine (RegisterResource and friends; in a preview each
// returns once the engine has run the provider's Check/Diff and the analyzers on that resource) and the
// pack's handlers (Analyze, AnalyzeStack). At exit it writes one JSON record to $BENCH_ENGINE_PROBE_DIR.
// Plain JavaScript, because it runs before any TypeScript support is loaded.
"use strict";
const fs = require("fs");
const Module = require("module");
const path = require("path");

const outDir = process.env.BENCH_ENGINE_PROBE_DIR;
if (outDir) {
  const started = Date.now() - process.uptime() * 1000;
  const record = {
    pid: process.pid,
    node: process.version,
    role: process.argv.some((a) => a.includes("run-policy-pack")) ? "pack" : "program",
    started,
    /**
     * Start-up done, epoch ms: the program's second RegisterResource (the first is the Stack, registered before
     * the program's module loads), or the pack's server listening.
     */
    ready: undefined,
    registrations: 0,
    lastCall: undefined,
    calls: {},
  };
  const count = (name, ms) => {
    const entry = (record.calls[name] ??= { count: 0, totalMs: 0 });
    entry.count += 1;
    entry.totalMs += ms;
    record.lastCall = Date.now();
  };
  let onServed = () => {};
  const shortName = (method) => String(method).split("/").pop();

  // Patched as grpc-js loads its own ./client and ./server modules: make-client.js copies
  // Client.prototype.makeUnaryRequest into the generated stubs when it loads, so a later patch would miss it.
  const patched = new WeakSet();
  const patchClient = (Client) => {
    const makeUnaryRequest = Client.prototype.makeUnaryRequest;
    Client.prototype.makeUnaryRequest = function (method, ...rest) {
      const start = Date.now();
      if (shortName(method) === "RegisterResource" && ++record.registrations === 2) record.ready = start;
      const at = rest.findLastIndex((a) => typeof a === "function");
      if (at >= 0) {
        const callback = rest[at];
        rest[at] = function (...args) {
          count(`call ${shortName(method)}`, Date.now() - start);
          return callback.apply(this, args);
        };
      }
      return makeUnaryRequest.call(this, method, ...rest);
    };
  };
  const patchServer = (Server) => {
    const register = Server.prototype.register;
    Server.prototype.register = function (name, handler, ...rest) {
      const timed = function (call, callback) {
        const start = Date.now();
        return handler.call(this, call, (...args) => {
          count(`serve ${shortName(name)}`, Date.now() - start);
          onServed();
          return callback(...args);
        });
      };
      return register.call(this, name, handler.length >= 2 ? timed : handler, ...rest);
    };
    const bindAsync = Server.prototype.bindAsync;
    Server.prototype.bindAsync = function (port, credentials, callback) {
      return bindAsync.call(this, port, credentials, (...args) => {
        record.ready ??= Date.now();
        return callback(...args);
      });
    };
  };

  const load = Module._load;
  Module._load = function (request, parent, ...rest) {
    const exports = load.call(this, request, parent, ...rest);
    const fromGrpc =
      parent && parent.filename && parent.filename.includes(`${path.sep}@grpc${path.sep}grpc-js${path.sep}`);
    if (fromGrpc && exports && !patched.has(exports)) {
      if (request === "./client" && exports.Client) patchClient(exports.Client);
      if (request === "./server" && exports.Server) patchServer(exports.Server);
      patched.add(exports);
    }
    return exports;
  };

  const write = () => {
    // A process that talked to no one (the launcher a re-exec onto the pinned Node leaves behind) is noise.
    if (Object.keys(record.calls).length === 0 && record.ready === undefined) return;
    const cpu = process.cpuUsage();
    const result = { ...record, ended: Date.now(), cpuMs: (cpu.user + cpu.system) / 1000 };
    // Written aside and renamed: the engine may kill the pack halfway through a write.
    const file = path.join(outDir, `${record.role}-${process.pid}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(result));
    fs.renameSync(`${file}.tmp`, file);
  };
  // The engine kills the pack rather than letting it exit: the pack's record is rewritten after each call.
  let pending = false;
  onServed = () => {
    if (pending) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      write();
    });
  };
  process.on("exit", write);
}
