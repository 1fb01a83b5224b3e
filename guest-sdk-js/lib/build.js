// What `pacto-guest-js` does: bundles the author's module, the SDK and an entry module
// that exports the policy into one ES module (rolldown), then builds that into a
// WebAssembly component of the world `policy` (componentize-js, SpiderMonkey).

import { builtinModules } from "node:module";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The SDK's own folder: the SDK that builds a component is the one linked into it. */
export const SDK = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The features of StarlingMonkey left out of every component: `http` and
 * `fetch-event` import wasi:http, which the Pacto host does not grant. `stdio` stays
 * (an uncaught error is reported on stderr), so do `random` and `clocks`, which the
 * host answers with fixed values (leaving them out saves nothing measurable). */
export const DISABLED_FEATURES = Object.freeze(["http", "fetch-event"]);

const NODE_BUILTINS = new Set(builtinModules);

/** A failure to report as it is, without a stack. */
export class BuildError extends Error {}

/** One of the SDK's own dependencies, or a BuildError saying how to install it. */
async function dependency(name) {
  try {
    return await import(name);
  } catch (e) {
    if (e?.code !== "ERR_MODULE_NOT_FOUND") throw e;
    throw new BuildError(
      `${name} (a dependency of the SDK, pacto-guest) is not installed in ${SDK}: install the ` +
        "SDK into the policy's folder with `npm install --save-dev --install-links <path to>/guest-sdk-js`, " +
        `or, for the SDK linked as it is, run \`npm ci\` in ${SDK}`,
    );
  }
}

/** The entry module: the author's default export becomes the `decide` and `describe`
 * exports. */
function entry(source) {
  return [
    `import * as policy from ${JSON.stringify(source)};`,
    `import { exportPolicy } from ${JSON.stringify(join(SDK, "component.js"))};`,
    `const world = exportPolicy(policy, ${JSON.stringify(basename(source))});`,
    "export const decide = world.decide;",
    "export const describe = world.describe;",
    "",
  ].join("\n");
}

/** Resolves `pacto-guest` to this SDK, keeps the host's imports, and refuses Node's
 * modules, which a component does not have. */
function resolver() {
  return {
    name: "pacto-guest",
    resolveId(id, importer) {
      if (id.startsWith("pacto:")) return { id, external: true };
      if (id === "pacto-guest") return join(SDK, "index.js");
      if (id === "pacto-guest/testing") return join(SDK, "testing.js");
      if (id.startsWith("pacto-guest/")) {
        throw new BuildError(
          `${importer}: imports ${id}; the SDK's modules are "pacto-guest" and "pacto-guest/testing"`,
        );
      }
      if (id.startsWith("node:") || NODE_BUILTINS.has(id)) {
        throw new BuildError(
          `${importer}: imports ${id}, a module of Node; a policy component has no files, ` +
            "network, environment or clock (only the SDK's `sla` functions)",
        );
      }
      return null;
    },
  };
}

/** Where a bundled module came from, for the stacks of a policy error: relative to the
 * author's folder, the SDK's files as `pacto-guest/...`. */
function shown(file, authorDir) {
  const rel = relative(SDK, file);
  if (!rel.startsWith("..") && !isAbsolute(rel)) return `pacto-guest/${rel.split(sep).join("/")}`;
  return relative(authorDir, file).split(sep).join("/");
}

async function bundle(source, work) {
  const { rolldown } = await dependency("rolldown");
  const entryPath = join(work, "pacto-entry.js");
  await writeFile(entryPath, entry(source));
  const warnings = [];
  let b;
  try {
    b = await rolldown({
      input: entryPath,
      platform: "neutral",
      plugins: [resolver()],
      external: [/^pacto:/],
      // the SDK's package.json says `"type": "module"`; a policy's modules are ES modules
      resolve: { mainFields: ["module", "main"], conditionNames: ["import", "default"] },
      onLog(level, log) {
        if (level === "warn") warnings.push(log);
      },
    });
  } catch (e) {
    throw bundleError(e);
  }
  const out = join(work, "out");
  const file = basename(source).replace(/\.mjs$/, ".js");
  const { output } = await b.generate({
    format: "es",
    dir: out,
    entryFileNames: file,
    sourcemap: true,
    keepNames: true,
    codeSplitting: false,
  });
  await b.close();
  const chunks = output.filter((o) => o.type === "chunk");
  if (chunks.length !== 1) {
    throw new BuildError(`bundling made ${chunks.length} modules, expected one (a dynamic import?)`);
  }
  const chunk = chunks[0];
  const authorDir = dirname(source);
  const map = {
    file,
    sources: chunk.map.sources.map((s) => shown(resolve(out, s), authorDir)),
    ...lineTable(chunk.map.mappings),
  };
  // appended, so that the lines of the code before it stay as the map says
  const code = `${chunk.code}\nglobalThis.__pactoSourceMap = ${JSON.stringify(map)};\n`;
  const path = join(out, file);
  await mkdir(out, { recursive: true });
  await writeFile(path, code);
  return { path, warnings, modules: chunk.moduleIds.length };
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * The bundle's lines back to their sources, from a source map's `mappings`, as the
 * component's glue looks them up when a stack goes into a message (decoding the map
 * there would cost more fuel than a decision): for each line of the bundle, from
 * `at[line - 1]` to `at[line]`, triples `seg` of the column where a stretch of code
 * starts, its source and its line there (all from 0), one per change of source line.
 */
export function lineTable(mappings) {
  const at = [0];
  const seg = [];
  let src = 0;
  let line = 0;
  for (const text of mappings.split(";")) {
    let gen = 0;
    let last = -1;
    for (const s of text.split(",")) {
      if (s === "") continue;
      const v = [];
      let value = 0;
      let shift = 0;
      for (const ch of s) {
        const d = B64.indexOf(ch);
        value += (d & 31) * 2 ** shift;
        if (d & 32) shift += 5;
        else {
          v.push(value % 2 ? -Math.floor(value / 2) : value / 2);
          value = 0;
          shift = 0;
        }
      }
      gen += v[0];
      if (v.length < 4) continue;
      src += v[1];
      line += v[2];
      const key = src * 1e7 + line;
      if (key !== last) {
        seg.push(gen, src, line);
        last = key;
      }
    }
    at.push(seg.length);
  }
  return { at, seg };
}

function bundleError(e) {
  // rolldown gathers its errors in one, each with the file, the line and a code frame
  const errors = e?.errors ?? [e];
  const text = errors
    .map((x) => (x instanceof BuildError ? x.message : String(x?.message ?? x)))
    .join("\n");
  return new BuildError(text.replace(/^\[plugin pacto-guest\]\s*/gm, ""));
}

// componentize-js 0.23.0 lowers an s64 argument of an import with `toInt64` (a
// signed BigInt) and then hands it to its engine's `coreabi_from_bigint64`, which
// takes only BigInts from 0 to 2^64 - 1 and aborts the component on a negative one
// (bytecodealliance/ComponentizeJS#343): `sla.addBusinessMinutes(cal, t, -30n)`, an
// instant before 1970 or a negative target would trap instead of answering. The fix
// gives the same 64 bits as an unsigned BigInt: the engine passes them on as the i64
// they are, and everywhere else the bindings use `toInt64` (DataView.setBigInt64) takes
// the bits modulo 2^64 just the same.
const SIGNED_TO_INT64 =
  /function toInt64\(val\)\s*\{\s*const converted = BigInt\(val\)\s*return BigInt\.asIntN\(64, converted\);?\s*\}/;
const UNSIGNED_TO_INT64 =
  "function toInt64(val) {\n  // pacto-guest-js: the same bits, unsigned (ComponentizeJS#343)\n  return BigInt.asUintN(64, BigInt(val));\n}";

let fixed = false;

async function fixNegativeImportArguments() {
  if (fixed) return;
  // the module componentize-js itself imports (the same URL, so the same instance)
  const splicerUrl = new URL(
    "../lib/spidermonkey-embedding-splicer.js",
    import.meta.resolve("@bytecodealliance/componentize-js"),
  );
  const { splicer } = await import(splicerUrl.href);
  const splice = splicer.spliceBindings;
  splicer.spliceBindings = (...args) => {
    const out = splice(...args);
    if (out.jsBindings.includes("function toInt64(")) {
      const patched = out.jsBindings.replace(SIGNED_TO_INT64, UNSIGNED_TO_INT64);
      if (patched === out.jsBindings) {
        throw new BuildError(
          "componentize-js's bindings are not the ones this SDK knows (toInt64 changed): " +
            "the fix for negative s64 arguments (ComponentizeJS#343) cannot be applied; " +
            "use the componentize-js version package.json pins",
        );
      }
      out.jsBindings = patched;
    }
    return out;
  };
  fixed = true;
}

/**
 * Builds `source` (an ES module whose default export is a Policy subclass) into the
 * component `out`, against the WIT world `policy` in `wit` (a file or a folder).
 * @returns {Promise<{size: number, seconds: number, modules: number, warnings: object[]}>}
 */
export async function build({ source, wit, out, disableFeatures = DISABLED_FEATURES, log = () => {} }) {
  const started = performance.now();
  source = resolve(source);
  if (!(await isFile(source))) throw new BuildError(`${source}: no such JavaScript module`);
  if (!(await exists(wit))) throw new BuildError(`${wit}: no such WIT file or folder`);
  const work = await mkdtemp(join(tmpdir(), "pacto-guest-js-"));
  try {
    const b = await bundle(source, work);
    for (const w of b.warnings) log(`warning: ${w.message}`);
    const { componentize } = await dependency("@bytecodealliance/componentize-js");
    await fixNegativeImportArguments();
    let result;
    try {
      result = await componentize({
        sourcePath: b.path,
        witPath: resolve(wit),
        worldName: "policy",
        disableFeatures: [...disableFeatures],
      });
    } catch (e) {
      const text = String(e?.message ?? e);
      // the entry's own check, run as the module loads (at build time)
      const noPolicy = /a policy module must `export default`[^\n]*/.exec(text);
      if (noPolicy) throw new BuildError(`${source}: ${noPolicy[0]}`);
      throw new BuildError(`componentize-js: ${text}`);
    }
    await writeFile(out, result.component);
    return {
      size: result.component.length,
      seconds: (performance.now() - started) / 1000,
      modules: b.modules,
      warnings: b.warnings,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function isFile(p) {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

async function exists(p) {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

