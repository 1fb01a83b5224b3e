// What pacto-guest-js refuses before it builds anything (building a component takes
// ~15 s: `pacto build` and `pacto test` on rules/standard-js cover that), and the
// line table that maps a component's stacks back to the author's files.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { lineTable } from "../lib/build.js";

const BIN = fileURLToPath(new URL("../bin/pacto-guest-js.js", import.meta.url));
const WIT = fileURLToPath(new URL("../../wit", import.meta.url));
const run = (...args) =>
  promisify(execFile)(process.execPath, [BIN, ...args]).then(
    () => ({ code: 0, stderr: "" }),
    (e) => ({ code: e.code, stderr: e.stderr }),
  );

const work = await mkdtemp(join(tmpdir(), "pacto-guest-js-test-"));
after(() => rm(work, { recursive: true, force: true }));

test("usage errors exit 1 and say what is expected", async () => {
  const r = await run("x.js");
  assert.equal(r.code, 1);
  assert.match(r.stderr, /expected one source module, --wit and --out/);
  assert.match(r.stderr, /usage: pacto-guest-js/);
});

test("a missing module is named", async () => {
  const r = await run(join(work, "none.js"), "--wit", WIT, "--out", join(work, "o.wasm"));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /none\.js: no such JavaScript module/);
});

test("a module importing Node's modules is refused while bundling", async () => {
  const src = join(work, "fs.js");
  await writeFile(src, 'import { readFileSync } from "node:fs";\nexport default readFileSync;\n');
  const r = await run(src, "--wit", WIT, "--out", join(work, "o.wasm"));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /imports node:fs, a module of Node; a policy component has no files/);
});

test("an import that does not resolve is named with its file", async () => {
  const src = join(work, "missing.js");
  await writeFile(src, 'import x from "./nowhere.js";\nexport default x;\n');
  const r = await run(src, "--wit", WIT, "--out", join(work, "o.wasm"));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nowhere\.js/);
});

/** A source map's `mappings` for lines of segments `[genCol, src, line, col]`. */
function encode(lines) {
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const vlq = (n) => {
    let v = n < 0 ? (-n << 1) | 1 : n << 1;
    let out = "";
    do {
      let d = v & 31;
      v >>>= 5;
      if (v > 0) d |= 32;
      out += B64[d];
    } while (v > 0);
    return out;
  };
  const prev = [0, 0, 0];
  return lines
    .map((segs) => {
      let gen = 0;
      return segs
        .map(([g, s, l, c]) => {
          const text = vlq(g - gen) + vlq(s - prev[0]) + vlq(l - prev[1]) + vlq(c - prev[2]);
          gen = g;
          prev.splice(0, 3, s, l, c);
          return text;
        })
        .join(",");
    })
    .join(";");
}

test("the line table keeps one entry per change of source line", () => {
  const mappings = encode([
    [[0, 0, 0, 0], [5, 0, 0, 5], [9, 1, 30, 0]],
    [],
    [[2, 1, 31, 4], [8, 0, 2, 0]],
  ]);
  const t = lineTable(mappings);
  assert.deepEqual(t.at, [0, 6, 6, 12]);
  assert.deepEqual(t.seg, [0, 0, 0, 9, 1, 30, 2, 1, 31, 8, 0, 2]);
});
