#!/usr/bin/env node
// pacto-guest-js <source.js> --wit <dir or file> --out <file.wasm>
//
// Builds a Pacto policy written in JavaScript into a WebAssembly component: what
// `pacto build` runs for a bundle whose `source` is a *.js module. The module must
// `export default` a subclass of Policy from "pacto-guest".

import { basename } from "node:path";
import { parseArgs } from "node:util";

import { BuildError, build } from "../lib/build.js";

const USAGE = `usage: pacto-guest-js <source.js> --wit <dir or file> --out <file.wasm>

Bundles <source.js> (which must \`export default\` a subclass of Policy from
"pacto-guest") with the SDK and builds it into a WebAssembly component of the world
\`policy\` in the WIT at --wit, written to --out. \`pacto build DIR\` runs this.`;

function fail(message) {
  process.stderr.write(`pacto-guest-js: ${message}\n`);
  process.exit(1);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      wit: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
} catch (e) {
  fail(`${e.message}\n\n${USAGE}`);
}
if (args.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const [source, ...extra] = args.positionals;
if (!source || extra.length > 0 || !args.values.wit || !args.values.out) {
  fail(`expected one source module, --wit and --out\n\n${USAGE}`);
}

try {
  const r = await build({
    source,
    wit: args.values.wit,
    out: args.values.out,
    log: (line) => process.stderr.write(`pacto-guest-js: ${line}\n`),
  });
  process.stderr.write(
    `pacto-guest-js: ${basename(source)} (${r.modules} modules bundled) -> ${args.values.out} ` +
      `(${(r.size / 1048576).toFixed(1)} MiB in ${r.seconds.toFixed(1)} s)\n`,
  );
} catch (e) {
  if (e instanceof BuildError) fail(e.message);
  fail(e?.stack ?? String(e));
}
