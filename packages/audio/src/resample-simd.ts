/**
 * The resampler's inner loop as a tiny WebAssembly SIMD module (f32x4 multiply-adds), built
 * from bytes here so there is no file to load and it works the same in Node and browsers.
 * Engines without Wasm SIMD fail to compile it, and the caller falls back to plain JS.
 */

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}

const i32 = 0x7f;
const v128 = 0x7b;
const get = (i: number): number[] => [0x20, i];
const set = (i: number): number[] => [0x21, i];
const i32Const = (v: number): number[] => [0x41, ...leb(v)];
const add = 0x6a;
const sub = 0x6b;
const mul = 0x6c;
const ltU = 0x49;
const geU = 0x4f;
const v128Load = [0xfd, 0x00, 0x00, 0x00];
const f32x4Add = [0xfd, 0xe4, 0x01];
const f32x4Mul = [0xfd, 0xe6, 0x01];
const lane = (i: number): number[] => [0xfd, 0x1f, i];

// Parameters of run(): byte addresses and counts, see resampleSimd.
const [TABLE, X, OUT, N, ROW_BYTES, UP, STEP_BYTES, STEP_PHASE, PHASE] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
// Locals.
const [O, R, J, END, ACC] = [9, 10, 11, 12, 13];

const body = [
  // locals: 4 x i32 (O, R, J, END), 1 x v128 (ACC)
  2,
  4,
  i32,
  1,
  v128,
  ...i32Const(0),
  ...set(O),
  0x02,
  0x40, // block
  0x03,
  0x40, // loop (outputs)
  ...get(O),
  ...get(N),
  geU,
  0x0d,
  1, // br_if block end when O >= N
  ...get(TABLE),
  ...get(PHASE),
  ...get(ROW_BYTES),
  mul,
  add,
  ...set(R),
  ...get(R),
  ...get(ROW_BYTES),
  add,
  ...set(END),
  ...get(X),
  ...set(J),
  0xfd,
  0x0c,
  ...new Array<number>(16).fill(0),
  ...set(ACC),
  0x03,
  0x40, // loop (taps, 4 at a time)
  ...get(ACC),
  ...get(R),
  ...v128Load,
  ...get(J),
  ...v128Load,
  ...f32x4Mul,
  ...f32x4Add,
  ...set(ACC),
  ...get(R),
  ...i32Const(16),
  add,
  ...set(R),
  ...get(J),
  ...i32Const(16),
  add,
  ...set(J),
  ...get(R),
  ...get(END),
  ltU,
  0x0d,
  0, // br_if taps loop
  0x0b,
  // out[O] = sum of the four lanes
  ...get(OUT),
  ...get(O),
  ...i32Const(2),
  0x74,
  add,
  ...get(ACC),
  ...lane(0),
  ...get(ACC),
  ...lane(1),
  0x92,
  ...get(ACC),
  ...lane(2),
  ...get(ACC),
  ...lane(3),
  0x92,
  0x92,
  0x38,
  0x02,
  0x00, // f32.store
  ...get(X),
  ...get(STEP_BYTES),
  add,
  ...set(X),
  ...get(PHASE),
  ...get(STEP_PHASE),
  add,
  ...set(PHASE),
  ...get(PHASE),
  ...get(UP),
  geU,
  0x04,
  0x40, // if
  ...get(PHASE),
  ...get(UP),
  sub,
  ...set(PHASE),
  ...get(X),
  ...i32Const(4),
  add,
  ...set(X),
  0x0b,
  ...get(O),
  ...i32Const(1),
  add,
  ...set(O),
  0x0c,
  0, // br outputs loop
  0x0b, // end loop
  0x0b, // end block
  0x0b, // end function
];

const moduleBytes = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00,
  ...section(1, [1, 0x60, 9, ...new Array<number>(9).fill(i32), 0]),
  ...section(3, [1, 0]),
  ...section(5, [1, 0x00, 1]),
  ...section(7, [2, 3, ...[0x72, 0x75, 0x6e], 0x00, 0, 3, ...[0x6d, 0x65, 0x6d], 0x02, 0]),
  ...section(10, [1, ...leb(body.length), ...body]),
]);

/** The slice of the WebAssembly API used here (the ES lib this repo compiles against does not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

interface Kernel {
  run: (
    table: number,
    x: number,
    out: number,
    n: number,
    rowBytes: number,
    up: number,
    stepBytes: number,
    stepPhase: number,
    phase: number,
  ) => void;
  memory: WasmMemory;
}

let kernel: Kernel | null | undefined;

function load(): Kernel | null {
  if (kernel !== undefined) return kernel;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    if (!wasm) throw new Error('no WebAssembly');
    const instance = new wasm.Instance(new wasm.Module(moduleBytes));
    kernel = { run: instance.exports.run as Kernel['run'], memory: instance.exports.mem as WasmMemory };
  } catch {
    kernel = null;
  }
  return kernel;
}

/** Outputs per call: bounds the Wasm memory to a few hundred KiB whatever the input length. */
const chunk = 16384;

/**
 * Polyphase resampling with Wasm SIMD. Same arithmetic as the JS loop except that sums are
 * accumulated in float32 (four partial sums), which differs from it by ~1e-7.
 *
 * @param x - Input, zero-padded so that output n reads `x[base(n) .. base(n) + taps)`, base(0) = 1.
 * @param outLength - Output samples.
 * @param up - L of the ratio L/M.
 * @param down - M of the ratio.
 * @param table - L rows of `taps` coefficients.
 * @param taps - Coefficients per row.
 * @returns The output, or undefined when Wasm SIMD is unavailable.
 */
export function resampleSimd(
  x: Float32Array,
  outLength: number,
  up: number,
  down: number,
  table: Float32Array,
  taps: number,
): Float32Array | undefined {
  const k = load();
  if (!k) return undefined;
  const rowFloats = Math.ceil(taps / 4) * 4;
  const tableBytes = up * rowFloats * 4;
  const windowFloats = Math.ceil((chunk * down) / up) + rowFloats + 8;
  const need = tableBytes + windowFloats * 4 + chunk * 4;
  if (k.memory.buffer.byteLength < need) k.memory.grow(Math.ceil((need - k.memory.buffer.byteLength) / 65536));
  const heap = new Float32Array(k.memory.buffer);
  // Rows padded to a multiple of 4 with zeros, so the SIMD loop needs no remainder.
  heap.fill(0, 0, up * rowFloats);
  for (let p = 0; p < up; p++) heap.set(table.subarray(p * taps, p * taps + taps), p * rowFloats);
  const xAt = tableBytes;
  const outAt = xAt + windowFloats * 4;
  const out = new Float32Array(outLength);
  const step = Math.floor(down / up);
  for (let start = 0; start < outLength; start += chunk) {
    const n = Math.min(chunk, outLength - start);
    const first = start * down;
    const base = 1 + Math.floor(first / up);
    const phase = first % up;
    const window = x.subarray(base, Math.min(x.length, base + windowFloats));
    heap.set(window, xAt / 4);
    heap.fill(0, xAt / 4 + window.length, xAt / 4 + windowFloats);
    k.run(0, xAt, outAt, n, rowFloats * 4, up, step * 4, down % up, phase);
    out.set(heap.subarray(outAt / 4, outAt / 4 + n), start);
  }
  return out;
}
