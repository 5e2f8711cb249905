// hardened-cdktf fastsynth preload (loaded with `node --require <this file>`).
//
// The jsii kernel resolves a type such as "@cdktf/provider-aws.s3Bucket.S3Bucket"
// by reading `s3Bucket` off @cdktf/provider-aws/lib/index.js's exports. That
// index eagerly requires all ~2,100 resource and data-source submodules, which
// costs seconds and hundreds of MB before the first AWS construct exists.
//
// This script rewrites that one file, and only that file, as Node compiles it:
// every `exports.NAME = require("./path");` line becomes a lazy getter that
// requires the submodule the first time NAME is read. Line numbers are kept.
// If the file does not have exactly the expected shape it is loaded unchanged
// (still correct, just slow) and one line is printed on stderr.
'use strict';

const Module = require('module');

// SKIP: measures HARDENED_CDKTF_FASTSYNTH_SKIP leaves out (for measuring
// each one): lazy, direct, index, stacks, cache, digest.
const SKIP = new Set(String(process.env.HARDENED_CDKTF_FASTSYNTH_SKIP || '').split(',').map((s) => s.trim()));

// TARGET matches the provider's index wherever the jsii kernel extracts it.
const TARGET = /[\\/]node_modules[\\/]@cdktf[\\/]provider-aws[\\/]lib[\\/]index\.js$/;

// MARKER names the helper the rewrite adds; its presence means "already lazy".
const MARKER = '__hardenedCdktfLazy';

// HELPER is appended to the first line (after the "use strict" directive) so
// that line numbers stay the same. It is a hoisted function declaration.
const HELPER =
  'function ' + MARKER + '(e,n,r){Object.defineProperty(e,n,{enumerable:true,configurable:true,' +
  'get(){const v=r();Object.defineProperty(e,n,{value:v,enumerable:true,writable:true,configurable:true});return v},' +
  'set(v){Object.defineProperty(e,n,{value:v,enumerable:true,writable:true,configurable:true})}})}';

const LINE_USE_STRICT = /^"use strict";$/;
const LINE_ESMODULE = /^Object\.defineProperty\(exports, "__esModule", \{ value: true \}\);$/;
const LINE_VOID0 = /^exports\.[A-Za-z_$][\w$]*( = exports\.[A-Za-z_$][\w$]*)* = void 0;$/;
const LINE_REQUIRE = /^exports\.([A-Za-z_$][\w$]*) = require\("(\.\/[A-Za-z0-9_./-]+)"\);$/;
const LINE_LINE_COMMENT = /^\/\/.*$/;

// rewrite returns {code, lazy} for a source of the expected shape, and
// {reason} (code undefined) otherwise. It never throws.
function rewrite(source) {
  if (typeof source !== 'string') {
    return { reason: 'source is not a string' };
  }
  if (source.includes(MARKER)) {
    return { code: source, lazy: 0, already: true };
  }
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const lines = source.split(eol);
  const out = new Array(lines.length);
  const seen = new Set();
  let inBlock = false;
  let useStrict = -1;
  let esModule = false;
  let lazy = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    out[i] = line;
    if (inBlock) {
      if (line.includes('*/')) {
        if (!/\*\/\s*$/.test(line)) {
          return { reason: `line ${i + 1}: code after a block comment` };
        }
        inBlock = false;
      }
      continue;
    }
    if (line.trim() === '' || LINE_LINE_COMMENT.test(line)) {
      continue;
    }
    if (/^\s*\/\*/.test(line)) {
      if (!line.includes('*/', line.indexOf('/*') + 2)) {
        inBlock = true;
      } else if (!/\*\/\s*$/.test(line)) {
        return { reason: `line ${i + 1}: code after a block comment` };
      }
      continue;
    }
    if (LINE_USE_STRICT.test(line)) {
      if (useStrict !== -1 || lazy > 0 || esModule) {
        return { reason: `line ${i + 1}: unexpected "use strict"` };
      }
      useStrict = i;
      continue;
    }
    if (LINE_ESMODULE.test(line)) {
      esModule = true;
      continue;
    }
    if (LINE_VOID0.test(line)) {
      if (lazy > 0) {
        return { reason: `line ${i + 1}: export declaration after the first require` };
      }
      continue;
    }
    const m = LINE_REQUIRE.exec(line);
    if (m) {
      if (seen.has(m[1])) {
        return { reason: `line ${i + 1}: export ${m[1]} assigned twice` };
      }
      seen.add(m[1]);
      out[i] = `${MARKER}(exports, ${JSON.stringify(m[1])}, () => require(${JSON.stringify(m[2])}));`;
      lazy++;
      continue;
    }
    return { reason: `line ${i + 1}: unexpected statement ${JSON.stringify(line.slice(0, 80))}` };
  }
  if (inBlock) {
    return { reason: 'unterminated block comment' };
  }
  if (useStrict === -1) {
    return { reason: 'no "use strict" directive' };
  }
  if (!esModule) {
    return { reason: 'no __esModule marker' };
  }
  if (lazy === 0) {
    return { reason: 'no `exports.x = require("./x")` line' };
  }
  out[useStrict] = lines[useStrict] + ' ' + HELPER;
  return { code: out.join(eol), lazy };
}

function warn(filename, reason) {
  process.stderr.write(
    `hardened-cdktf fastsynth: ${filename} has an unexpected shape (${reason}); ` +
      'loading it unchanged (correct, but slow). Set HARDENED_CDKTF_FASTSYNTH=off to silence this.\n');
}

// afterCompile holds functions called with (module, filename) after Node
// compiled and ran a module.
const afterCompile = [];
// beforeCompile holds functions (content, filename) -> content applied to a
// module's source before it is compiled.
const beforeCompile = [];
// compileHook, when set, may compile and run a module itself: it returns
// {result} when it did, undefined to let Node do it.
let compileHook;

function install() {
  const proto = Module.prototype;
  const original = proto._compile;
  if (typeof original !== 'function') {
    warn('@cdktf/provider-aws/lib/index.js', 'this Node.js has no Module.prototype._compile to hook');
    return;
  }
  proto._compile = function fastsynthCompile(content, filename) {
    if (typeof filename === 'string' && TARGET.test(filename) && !SKIP.has('lazy')) {
      const r = rewrite(content);
      if (r.code !== undefined) {
        content = r.code;
        if (process.env.HARDENED_CDKTF_FASTSYNTH_DEBUG) {
          process.stderr.write(`hardened-cdktf fastsynth: ${filename}: ${r.lazy} exports made lazy\n`);
        }
      } else {
        warn(filename, r.reason);
      }
    }
    for (const f of beforeCompile) content = f(content, filename);
    let result;
    const cached = compileHook && compileHook(this, content, filename);
    if (cached) {
      result = cached.result;
    } else {
      const args = Array.prototype.slice.call(arguments);
      args[0] = content;
      result = original.apply(this, args);
    }
    for (const f of afterCompile) f(this, filename);
    return result;
  };
}

// ---------------------------------------------------------------------------
// The jsii kernel process only: everything below runs when this script was
// loaded into the kernel (`node .../lib/program.js`), never in other Node
// processes that inherit NODE_OPTIONS.

const fs = require('fs');
const path = require('path');

// PROGRAM matches the kernel's entry point in the extracted jsii runtime.
const PROGRAM = /[\\/]lib[\\/]program\.js$/;

function isKernel() {
  return typeof process.argv[1] === 'string' && PROGRAM.test(process.argv[1]);
}

function debug(msg) {
  if (process.env.HARDENED_CDKTF_FASTSYNTH_DEBUG) {
    process.stderr.write(`hardened-cdktf fastsynth: ${msg}\n`);
  }
}

// writeAllSync writes buf to fd, retrying on EAGAIN (a non-blocking pipe
// that is full) the way the kernel's own SyncStdio does.
const sleeper = new Int32Array(new SharedArrayBuffer(4));
function writeAllSync(write, fd, buf) {
  let off = 0;
  let wait = 0;
  while (off < buf.length) {
    try {
      off += write(fd, buf, off, buf.length - off);
      wait = 0;
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
      wait = Math.min(Math.max(2 * wait, 1), 10);
      Atomics.wait(sleeper, 0, 0, wait);
    }
  }
}

// Direct mode (see kernel.sh): the launcher started the kernel itself, with
// the jsii API channel on fd 3 (requests from Go, read) and fd 4 (responses
// to Go, written), instead of jsii-runtime.js starting it as a child that
// talks through one socket on fd 3 while the parent relays to Go. Node then
// runs once, and each request crosses one pipe each way instead of two.
//
// What the relay did besides relaying is done here:
// - the kernel's stdout and stderr become `{"stdout":"<base64>"}` and
//   `{"stderr":"<base64>"}` lines on fd 2, which jsii-runtime-go decodes;
// - jsii-runtime.js's Node version check runs (its warning banner).
function directMode() {
  const origWrite = fs.writeSync;
  const encoded = (key, buf) => Buffer.from(JSON.stringify({ [key]: buf.toString('base64') }) + '\n');
  const toBuffer = (data, offset, length, encoding) => {
    if (typeof data === 'string') {
      return Buffer.from(data, typeof offset === 'string' ? offset : typeof encoding === 'string' ? encoding : 'utf8');
    }
    const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const start = typeof offset === 'number' ? offset : 0;
    const end = typeof length === 'number' ? start + length : b.length;
    return b.subarray(start, end);
  };
  fs.writeSync = function fastsynthWriteSync(fd, data, offset, length, position) {
    if (fd === 3) {
      return origWrite.call(fs, 4, data, offset, length, position);
    }
    if (fd === 1 || fd === 2) {
      const buf = toBuffer(data, offset, length, position);
      writeAllSync(origWrite.bind(fs), 2, encoded(fd === 1 ? 'stdout' : 'stderr', buf));
      return buf.length;
    }
    return origWrite.apply(fs, arguments);
  };
  for (const [stream, key] of [[process.stdout, 'stdout'], [process.stderr, 'stderr']]) {
    stream.write = function fastsynthStreamWrite(chunk, encoding, cb) {
      if (typeof encoding === 'function') {
        cb = encoding;
        encoding = undefined;
      }
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, encoding || 'utf8') : Buffer.from(chunk);
      writeAllSync(origWrite.bind(fs), 2, encoded(key, buf));
      if (typeof cb === 'function') process.nextTick(cb);
      return true;
    };
  }
  runNodeVersionCheck(path.join(path.dirname(process.argv[1]), '..', 'bin', 'jsii-runtime.js'));
  debug(`kernel ${process.pid} started directly (one Node process)`);
}

// runNodeVersionCheck runs the start of jsii-runtime.js, its Node version
// check (the end-of-life banner), and stops it where it would start the
// kernel: its first require of anything but the modules the check uses.
function runNodeVersionCheck(entry) {
  let src;
  try {
    src = fs.readFileSync(entry, 'utf8');
  } catch (e) {
    debug(`no Node version check (${e.message})`);
    return;
  }
  // Only the runtime's own entry point, of the known shape: it checks Node
  // first, then requires child_process to start the kernel.
  if (!src.includes('SILENCE_WARNING_END_OF_LIFE_NODE_VERSION') || !src.includes('require("child_process")')) {
    debug(`no Node version check (${entry} has an unexpected shape)`);
    return;
  }
  const STOP = { stop: true };
  const allowed = new Set(['console', 'os', 'path', 'process', 'tty', 'util']);
  const req = (id) => {
    const bare = String(id).replace(/^node:/, '');
    if (allowed.has(bare)) return require(bare);
    throw STOP;
  };
  try {
    const fn = new Function('require', 'module', 'exports', '__filename', '__dirname', src);
    fn(req, { exports: {} }, {}, entry, path.dirname(entry));
  } catch (e) {
    if (e !== STOP) debug(`Node version check failed: ${e && e.message}`);
  }
}

// The runtime index. jsii 1.142 reads an assembly through an index in the
// jsii package cache (~15 ms) instead of parsing its .jsii file (120 MB for
// the AWS provider: seconds, every run). When the index is missing, the
// kernel loads the whole file and starts a worker thread to build the index
// -- which the kernel's exit, right after synth, kills before it finishes, so
// a `go run .` or a short test binary never gets one. Here that worker runs
// in a detached, low-priority process instead: it outlives the kernel and
// writes the index once; every later kernel on the machine uses it.
function hookIndexWorker() {
  let wt;
  try {
    wt = require('worker_threads');
  } catch {
    return;
  }
  const Original = wt.Worker;
  if (typeof Original !== 'function' || Original[MARKER]) return;
  const Hooked = function Worker(filename, options) {
    const data = options && options.workerData;
    if (typeof filename === 'string' && /[\\/]runtime-index-worker\.js$/.test(filename) &&
        data && typeof data.packageDir === 'string') {
      const stub = detachedIndexer(filename, data);
      if (stub) return stub;
    }
    return Reflect.construct(Original, arguments, new.target || Original);
  };
  Hooked.prototype = Original.prototype;
  Object.setPrototypeOf(Hooked, Original);
  Hooked[MARKER] = true;
  wt.Worker = Hooked;
}

const INDEXER = `
const [file, data, lock, failed] = process.argv.slice(1);
const fs = require('fs');
let ok = false;
const w = new (require('worker_threads').Worker)(file, { workerData: JSON.parse(data) });
w.on('message', (m) => { if (m && m.error != null) ok = false; });
w.on('error', () => { ok = false; });
w.on('online', () => { ok = true; });
w.on('exit', (code) => {
  if (!ok || code !== 0) { try { fs.writeFileSync(failed, String(Date.now())); } catch {} }
  try { fs.unlinkSync(lock); } catch {}
});
`;

function hash(s) {
  return require('crypto').createHash('sha256').update(s).digest('hex').slice(0, 16);
}

// detachedIndexer starts the index build for data.packageDir in a detached
// process and returns a stand-in for the Worker, or returns undefined (the
// caller then starts the kernel's own worker, as without this script).
function detachedIndexer(workerFile, data) {
  const dir = path.dirname(__filename); // the private cache dir Go checked
  try {
    // packageDir is the kernel's temporary node_modules link into the jsii
    // package cache; the link goes away with the kernel.
    data = { ...data, packageDir: fs.realpathSync(data.packageDir) };
  } catch (e) {
    debug(`could not resolve ${data.packageDir} (${e.message}); using the kernel's own worker`);
    return undefined;
  }
  const key = hash(data.packageDir);
  const lock = path.join(dir, `index-${key}.lock`);
  const failed = path.join(dir, `index-${key}.failed`);
  const stub = new (require('events').EventEmitter)();
  stub.terminate = () => Promise.resolve(0);
  stub.ref = stub.unref = stub.postMessage = () => {};
  try {
    // A build that failed in the last hour is not retried on every run.
    const f = fs.statSync(failed, { throwIfNoEntry: false });
    if (f && Date.now() - f.mtimeMs < 3600e3) {
      debug(`runtime index of ${data.packageDir} failed to build recently; not retrying yet`);
      return stub;
    }
    // One build per package at a time (parallel test binaries all see the
    // index missing); a lock older than 10 minutes is stale.
    let fd;
    try {
      fd = fs.openSync(lock, 'wx', 0o600);
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const l = fs.statSync(lock, { throwIfNoEntry: false });
      if (l && Date.now() - l.mtimeMs < 10 * 60e3) {
        debug(`runtime index of ${data.packageDir} is being built by another process`);
        return stub;
      }
      fs.rmSync(lock, { force: true });
      fd = fs.openSync(lock, 'wx', 0o600);
    }
    fs.closeSync(fd);
    // The runtime's directory disappears when the Go program closes the
    // kernel: run a private copy of the worker script.
    const code = fs.readFileSync(workerFile);
    const copy = path.join(dir, `jsii-runtime-index-worker-${hash(code)}.js`);
    if (!fs.existsSync(copy)) {
      const tmp = `${copy}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, code, { mode: 0o600 });
      fs.renameSync(tmp, copy);
    }
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = require('child_process').spawn(process.execPath,
      ['--max-old-space-size=4096', '-e', INDEXER, copy, JSON.stringify(data), lock, failed],
      { detached: true, stdio: 'ignore', env, cwd: dir });
    child.on('error', () => fs.rmSync(lock, { force: true }));
    child.unref();
    try {
      require('os').setPriority(child.pid, 10);
    } catch {}
    debug(`building the runtime index of ${data.packageDir} in process ${child.pid}`);
    return stub;
  } catch (e) {
    try {
      fs.rmSync(lock, { force: true });
    } catch {}
    debug(`could not start the runtime index build (${e.message}); using the kernel's own worker`);
    return undefined;
  }
}

// cdktf records a full JavaScript stack trace (Error.stackTraceLimit =
// MAX_SAFE_INTEGER, formatted at once) for every token it creates -- every
// attribute a Go program reads, every Fn call -- only to print it if that
// token fails to resolve. In the kernel that stack is the kernel's own
// request loop, never the Go caller, and capturing it is a large share of
// each call. The kernel's cdktf records this one line instead; the
// synthesized output does not depend on it. HARDENED_CDKTF_FASTSYNTH=off
// restores the stacks.
const STACK_TRACE = /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/;
const NO_STACK = Object.freeze([
  '(creation stack not recorded by hardened-cdktf fastsynth in the jsii kernel; HARDENED_CDKTF_FASTSYNTH=off records it)',
]);

function patchStackTrace(module) {
  const e = module.exports;
  if (!e || typeof e.captureStackTrace !== 'function' || Object.keys(e).join() !== 'captureStackTrace') {
    warnShape('cdktf/lib/tokens/private/stack-trace.js', 'it does not export exactly captureStackTrace');
    return;
  }
  e.captureStackTrace = function captureStackTrace() {
    return NO_STACK.slice();
  };
}

function warnShape(file, reason) {
  process.stderr.write(`hardened-cdktf fastsynth: ${file} has an unexpected shape (${reason}); ` +
    'leaving it unchanged (correct, but slower). Set HARDENED_CDKTF_FASTSYNTH=off to silence this.\n');
}

// The V8 code cache. Node 20 has no module compile cache (22 has
// module.enableCompileCache), so the kernel compiles the ~400 modules of
// cdktf, its dependencies and the provider submodules from source on every
// run. Here each module of the kernel's node_modules is compiled as Node
// does (the CommonJS wrapper, run in this context), with V8 code cache data
// from an earlier run; at exit the kernel writes the cache of the modules it
// compiled without one, including the functions that ran. The cache entry of
// a file is keyed by its real path, size, inode, modification and change
// times (a file that changes gets a new key; the jsii package cache's files
// never change) and by this script's version (it rewrites the provider
// index); V8 itself rejects data of another V8 version or flags.
const CACHEABLE = /[\\/]node_modules[\\/]/;

function codeCache() {
  const vm = require('vm');
  const crypto = require('crypto');
  const dir = path.join(path.dirname(__filename),
    `v8-${hash([process.version, process.arch, process.execArgv.join(' '), path.basename(__filename)].join('\0'))}`);
  const pending = [];
  let hits = 0;
  let misses = 0;
  compileHook = (mod, content, filename) => {
    if (content.includes('import(')) return undefined;
    let key;
    try {
      if (filename === process.argv[1]) {
        // The kernel itself lives in a new temporary directory every run.
        key = crypto.createHash('sha256').update(content).digest('hex').slice(0, 32);
      } else if (CACHEABLE.test(filename)) {
        const real = fs.realpathSync(filename);
        const st = fs.statSync(real, { bigint: true });
        key = crypto.createHash('sha256')
          .update([real, st.size, st.ino, st.mtimeNs, st.ctimeNs, content.length].join('\0'))
          .digest('hex').slice(0, 32);
      } else {
        return undefined;
      }
    } catch {
      return undefined;
    }
    const file = path.join(dir, `${key}.bin`);
    let data;
    try {
      data = fs.readFileSync(file);
    } catch {}
    const script = new vm.Script(Module.wrap(content), { filename, cachedData: data });
    if (data === undefined || script.cachedDataRejected) {
      pending.push({ script, file });
      misses++;
    } else {
      hits++;
    }
    const fn = script.runInThisContext({ displayErrors: true });
    const require = function require(id) {
      return mod.require(id);
    };
    require.resolve = function resolve(request, options) {
      return Module._resolveFilename(request, mod, false, options);
    };
    require.resolve.paths = function paths(request) {
      return Module._resolveLookupPaths(request, mod);
    };
    require.main = process.mainModule;
    require.extensions = Module._extensions;
    require.cache = Module._cache;
    return { result: fn.call(mod.exports, mod.exports, require, mod, filename, path.dirname(filename)) };
  };
  // At exit the Go program may be gone already (it does not wait for the
  // kernel): write the cache first, report after, and never throw.
  process.on('exit', () => {
    if (pending.length === 0) {
      quietly(() => fs.utimesSync(dir, new Date(), new Date())); // in use (see the pruning below)
      return quietly(() => debug(`code cache: ${hits} hits`));
    }
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      for (const { script, file } of pending) {
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, file);
      }
      quietly(() => debug(`code cache: ${hits} hits, ${misses} written`));
      // Caches of other Node or script versions, unused for 30 days, go.
      quietly(() => {
        for (const e of fs.readdirSync(path.dirname(dir))) {
          const other = path.join(path.dirname(dir), e);
          if (/^v8-[0-9a-f]{16}$/.test(e) && other !== dir && Date.now() - fs.statSync(other).mtimeMs > 30 * 86400e3) {
            fs.rmSync(other, { recursive: true, force: true });
          }
        }
      });
    } catch (e) {
      quietly(() => debug(`could not write the code cache (${e.message})`));
    }
  });
}

function quietly(f) {
  try {
    f();
  } catch {}
}

// Patches of the kernel's own code (lib/program.js of jsii-runtime-go's
// embedded runtime), each applied only where its text occurs exactly once;
// otherwise that patch is left out (correct, slower) with one line on stderr.
const KERNEL_PATCHES = [
  {
    // The jsii package cache finds a package by the SHA-256 of its tarball,
    // so every load hashes the provider's 34 MB tarball (which
    // jsii-runtime-go writes anew each run). A digest is remembered under a
    // key of the package name, version, tarball size and the SHA-256 of the
    // tarball's first and last MiB (the last holds gzip's CRC-32 and size of
    // the whole archive).
    name: 'tarball digest',
    skip: 'digest',
    find: '_=(0,V.digestFile)(e,...f),',
    replace: '_=globalThis.__hardenedCdktfDigest(e,f,()=>(0,V.digestFile)(e,...f)),',
    install: installDigestMemo,
  },
];

function patchKernel(content) {
  for (const p of KERNEL_PATCHES) {
    if (SKIP.has(p.skip)) continue;
    const i = content.indexOf(p.find);
    if (i < 0 || content.indexOf(p.find, i + 1) >= 0) {
      warnShape(path.basename(process.argv[1]), `the ${p.name} code is not there exactly once`);
      continue;
    }
    p.install();
    content = content.slice(0, i) + p.replace + content.slice(i + p.find.length);
  }
  return content;
}

function installDigestMemo() {
  const crypto = require('crypto');
  const memoFile = path.join(path.dirname(__filename), 'tarball-digests.json');
  const MIB = 1 << 20;
  globalThis.__hardenedCdktfDigest = (tarball, nameVersion, compute) => {
    let key;
    try {
      const fd = fs.openSync(tarball, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        if (size <= 4 * MIB) return compute();
        const head = Buffer.alloc(MIB);
        const tail = Buffer.alloc(MIB);
        if (fs.readSync(fd, head, 0, MIB, 0) !== MIB || fs.readSync(fd, tail, 0, MIB, size - MIB) !== MIB) {
          return compute();
        }
        key = crypto.createHash('sha256').update(JSON.stringify([nameVersion, size])).update(head).update(tail).digest('hex');
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return compute();
    }
    let memo = {};
    try {
      memo = JSON.parse(fs.readFileSync(memoFile, 'utf8'));
    } catch {}
    const known = memo[key];
    if (typeof known === 'string' && /^[0-9a-f]{64}$/.test(known)) return Buffer.from(known, 'hex');
    const digest = compute();
    try {
      memo[key] = digest.toString('hex');
      const tmp = `${memoFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(memo), { mode: 0o600 });
      fs.renameSync(tmp, memoFile);
    } catch {}
    return digest;
  };
}

function installKernel() {
  const main = process.argv[1];
  beforeCompile.push((content, filename) => (filename === main ? patchKernel(content) : content));
  if (!SKIP.has('cache')) codeCache();
  if (process.env.HARDENED_CDKTF_FASTSYNTH_DIRECT === '1') {
    delete process.env.HARDENED_CDKTF_FASTSYNTH_DIRECT;
    directMode();
  }
  if (!SKIP.has('index')) hookIndexWorker();
  if (!SKIP.has('stacks')) {
    afterCompile.push((module, filename) => {
      if (STACK_TRACE.test(filename)) patchStackTrace(module);
    });
  }
}

// HARDENED_CDKTF_FASTSYNTH=off also holds in processes that inherited
// NODE_OPTIONS from a program that had fast synth on.
const OFF = ['off', '0', 'false', 'no'].includes(String(process.env.HARDENED_CDKTF_FASTSYNTH || '').trim().toLowerCase());

const INSTALLED = Symbol.for('hardened-cdktf.fastsynth.installed');
if (!globalThis[INSTALLED] && !OFF) {
  globalThis[INSTALLED] = true;
  install();
  if (isKernel()) installKernel();
}

module.exports = { rewrite, TARGET, MARKER, KERNEL_PATCHES, patchKernel, installDigestMemo, NO_STACK };
