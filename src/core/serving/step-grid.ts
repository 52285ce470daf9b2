/**
 * The grid the engine step cost is cached and interpolated on (step-cost.ts): exact integer points
 * up to 32, tile-aligned buckets above (16 wide to 256, then 8 per doubling), tables filled lazily.
 */
const LINEAR_TOP = 32;
/** Sizes above this are clamped (tokens, sequences or context): 2^24. */
const AXIS_MAX_LOG2 = 24;
/** Buckets of 16 from 32 to 256, then 8 per doubling. */
const FINE_TOP = 256;
const FINE_BUCKETS = (FINE_TOP - LINEAR_TOP) / 16;
const BUCKETS_PER_OCTAVE = 8;

/**
 * Grid of evaluation points, aligned to the tile sizes cost models quantise on. Sizes 0..32 are
 * points themselves. Above, the line is cut into buckets (lo, hi] with lo, hi multiples of 16 —
 * 16 wide up to 256, then 8 buckets per doubling (width 2^(e−3) in (2^e, 2^(e+1)]) — and each
 * bucket is evaluated at both ends, lo + 1 and hi. GEMM and attention tiles are multiples of 16
 * (64, 128, 256), so a tile or wave step happens between hi of one bucket and lo + 1 of the next,
 * never inside a bucket up to widths of 64 (sizes ≤ 1024); interpolation inside a bucket then
 * only sees the smooth (memory-traffic) part.
 *
 * `locate(v)` sets pa, pb (point indices) and frac, so that f(v) ≈ f(pa) + frac·(f(pb) − f(pa)).
 */
export class Axis {
  /** Value of each point index. */
  readonly values: Float64Array;
  pa = 0;
  pb = 0;
  frac = 0;
  constructor() {
    const buckets = FINE_BUCKETS + BUCKETS_PER_OCTAVE * (AXIS_MAX_LOG2 - Math.log2(FINE_TOP));
    this.values = new Float64Array(LINEAR_TOP + 2 + 2 * buckets);
    for (let i = 0; i <= LINEAR_TOP + 1; i++) this.values[i] = i;
    for (let k = 0; k < buckets; k++) {
      const [lo, hi] = bucketBounds(k);
      this.values[LINEAR_TOP + 2 + 2 * k] = lo + 1;
      this.values[LINEAR_TOP + 3 + 2 * k] = hi;
    }
  }
  locate(v: number): void {
    if (v <= LINEAR_TOP) {
      const lo = v > 0 ? Math.floor(v) : 0;
      this.pa = lo;
      this.pb = lo + 1;
      this.frac = v - lo;
      return;
    }
    const top = 2 ** AXIS_MAX_LOG2;
    const c = Math.ceil(v > top ? top : v);
    let k: number;
    if (c <= FINE_TOP) k = Math.ceil((c - LINEAR_TOP) / 16) - 1;
    else {
      const e = 31 - Math.clz32(c - 1);
      k = FINE_BUCKETS + BUCKETS_PER_OCTAVE * (e - 8) + Math.ceil((c - 2 ** e) / 2 ** (e - 3)) - 1;
    }
    const pa = LINEAR_TOP + 2 + 2 * k;
    const a = this.values[pa]!;
    const b = this.values[pa + 1]!;
    this.pa = pa;
    this.pb = pa + 1;
    const f = (v > top ? top : v) - a;
    this.frac = f <= 0 ? 0 : f / (b - a);
  }
}

/** (lo, hi] of bucket k above LINEAR_TOP. */
function bucketBounds(k: number): [number, number] {
  if (k < FINE_BUCKETS) return [LINEAR_TOP + 16 * k, LINEAR_TOP + 16 * (k + 1)];
  const j = k - FINE_BUCKETS;
  const e = 8 + Math.floor(j / BUCKETS_PER_OCTAVE);
  const w = 2 ** (e - 3);
  const lo = 2 ** e + w * (j % BUCKETS_PER_OCTAVE);
  return [lo, lo + w];
}

/** Lazily filled 1-D or 2-D table keyed by grid indices (NaN = not computed yet). */
export class Table {
  private readonly data: Float64Array;
  private readonly done: Uint8Array;
  constructor(
    size: number,
    private readonly cols: number,
  ) {
    this.data = new Float64Array(size);
    this.done = new Uint8Array(size);
  }
  get(i: number, j: number, compute: (i: number, j: number) => number): number {
    const k = i * this.cols + j;
    if (this.done[k] === 1) return this.data[k]!;
    const v = compute(i, j);
    this.data[k] = v;
    this.done[k] = 1;
    return v;
  }
}

/** f(v) interpolated linearly on `axis` from the lazily filled 1-D `table`. */
export function lerp1(axis: Axis, table: Table, f: (i: number, j: number) => number, v: number): number {
  axis.locate(v);
  const fr = axis.frac;
  const a = table.get(axis.pa, 0, f);
  return fr === 0 ? a : a + fr * (table.get(axis.pb, 0, f) - a);
}

/** f(u, v) interpolated bilinearly on `axis` × `axis` from the lazily filled 2-D `table`. */
export function lerp2(axis: Axis, table: Table, f: (i: number, j: number) => number, u: number, v: number): number {
  axis.locate(u);
  const ia = axis.pa;
  const ib = axis.pb;
  const fu = axis.frac;
  axis.locate(v);
  const ja = axis.pa;
  const jb = axis.pb;
  const fv = axis.frac;
  const a = table.get(ia, ja, f);
  const lo = fv === 0 ? a : a + fv * (table.get(ia, jb, f) - a);
  if (fu === 0) return lo;
  const c = table.get(ib, ja, f);
  const hi = fv === 0 ? c : c + fv * (table.get(ib, jb, f) - c);
  return lo + fu * (hi - lo);
}
