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

function install() {
  const proto = Module.prototype;
  const original = proto._compile;
  if (typeof original !== 'function') {
    warn('@cdktf/provider-aws/lib/index.js', 'this Node.js has no Module.prototype._compile to hook');
    return;
  }
  proto._compile = function fastsynthCompile(content, filename) {
    if (typeof filename === 'string' && TARGET.test(filename)) {
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
    const args = Array.prototype.slice.call(arguments);
    args[0] = content;
    return original.apply(this, args);
  };
}

const INSTALLED = Symbol.for('hardened-cdktf.fastsynth.installed');
if (!globalThis[INSTALLED]) {
  globalThis[INSTALLED] = true;
  install();
}

module.exports = { rewrite, TARGET, MARKER };
