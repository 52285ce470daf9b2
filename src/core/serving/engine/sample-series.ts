/** Growable series of samples (time, KV used fraction, running, waiting) taken at step starts. */
export class SampleSeries {
  count = 0;
  time = new Float64Array(1024);
  kv = new Float64Array(1024);
  running = new Int32Array(1024);
  waiting = new Int32Array(1024);
  add(t: number, kv: number, running: number, waiting: number): void {
    if (this.count === this.time.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.time = grow(this.time);
      this.kv = grow(this.kv);
      this.running = grow(this.running);
      this.waiting = grow(this.waiting);
    }
    const i = this.count++;
    this.time[i] = t;
    this.kv[i] = kv;
    this.running[i] = running;
    this.waiting[i] = waiting;
  }
}
