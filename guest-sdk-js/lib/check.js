// Checking and normalizing the values a policy hands over, with the place they came
// from in the message. Every s64/u64 is a BigInt (a Number that is a safe integer is
// taken as the same BigInt); every u32/u8 is a Number (a BigInt in range is taken as
// the same Number). Nothing is rounded, wrapped or truncated: a value that does not fit
// is a TypeError naming where it is.
//
// A check is `(value, path, key)`: the value is at `path.key` (or `path[key]` for a
// number, or `path` itself without a key), and that text is only made for an error.

export const I64_MIN = -(2n ** 63n);
export const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

/** Where `path` and `key` point, as text. */
export function at(path, key) {
  if (key === undefined) return path;
  return typeof key === "number" ? `${path}[${key}]` : `${path}.${key}`;
}

/** A short description of `v` for an error message. */
export function show(v) {
  switch (typeof v) {
    case "bigint":
      return `${v}n`;
    case "string":
      return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
    case "undefined":
    case "number":
    case "boolean":
      return String(v);
    case "function":
      return `a function${v.name ? ` (${v.name})` : ""}`;
    case "symbol":
      return v.toString();
    default:
      if (v === null) return "null";
      if (Array.isArray(v)) return "an Array";
      if (typeof v.then === "function") return "a Promise";
      {
        const proto = Object.getPrototypeOf(v);
        const name = proto?.constructor?.name;
        return proto === null || proto === Object.prototype || !name ? "an object" : `a ${name}`;
      }
  }
}

function bigint(v, path, key, min, max, what) {
  let b;
  if (typeof v === "bigint") b = v;
  else if (typeof v === "number" && Number.isSafeInteger(v)) b = BigInt(v);
  else {
    throw new TypeError(
      `${at(path, key)}: expected ${what} (a BigInt, or a Number that is a safe integer), got ${show(v)}`,
    );
  }
  if (b < min || b > max) {
    throw new RangeError(`${at(path, key)}: ${b} is outside ${what}'s range ${min} to ${max}`);
  }
  return b;
}

function number(v, path, key, max, what) {
  let n;
  if (typeof v === "number" && Number.isInteger(v)) n = v;
  else if (typeof v === "bigint" && v >= 0n && v <= BigInt(max)) n = Number(v);
  else throw new TypeError(`${at(path, key)}: expected ${what} (a whole Number), got ${show(v)}`);
  if (n < 0 || n > max) {
    throw new RangeError(`${at(path, key)}: ${n} is outside ${what}'s range 0 to ${max}`);
  }
  return n;
}

export const int64 = (v, path, key) => bigint(v, path, key, I64_MIN, I64_MAX, "an s64");
export const uint64 = (v, path, key) => bigint(v, path, key, 0n, U64_MAX, "a u64");
export const uint32 = (v, path, key) => number(v, path, key, 0xffff_ffff, "a u32");
export const uint8 = (v, path, key) => number(v, path, key, 0xff, "a u8");

export function string(v, path, key) {
  if (typeof v !== "string") throw new TypeError(`${at(path, key)}: expected a string, got ${show(v)}`);
  return v;
}

export function bool(v, path, key) {
  if (typeof v !== "boolean") {
    throw new TypeError(`${at(path, key)}: expected true or false, got ${show(v)}`);
  }
  return v;
}

/** A check that `v` is one of the values of the frozen enum object `e` (named
 * `name`). */
export function member(e, name) {
  const values = e[VALUES];
  return (v, path, key) => {
    if (typeof v === "string" && values.has(v)) return v;
    throw new TypeError(
      `${at(path, key)}: expected a ${name} (${[...values].join(", ")}), got ${show(v)}`,
    );
  };
}

/** An option: `undefined` or `null` is none. */
export function optional(check) {
  return (v, path, key) => (v === undefined || v === null ? undefined : check(v, path, key));
}

export function list(check) {
  return (v, path, key) => {
    if (!Array.isArray(v)) throw new TypeError(`${at(path, key)}: expected an Array, got ${show(v)}`);
    const where = key === undefined ? path : at(path, key);
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = check(v[i], where, i);
    return out;
  };
}

/** The values of an enum object, for `member`. */
export const VALUES = Symbol("values");

/** A frozen enum object: `{ FIRST_RESPONSE: "first_response", ... }`. */
export function enumOf(values) {
  const e = {};
  for (const v of values) e[v.toUpperCase()] = v;
  Object.defineProperty(e, VALUES, { value: new Set(values) });
  return Object.freeze(e);
}

/** Whether `v` is an object a policy may give as a record: a plain object or an
 * instance of the record's class. */
export function isRecordLike(v, cls) {
  if (v === null || typeof v !== "object") return false;
  if (v instanceof cls) return true;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
