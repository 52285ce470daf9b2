/**
 * Bytes with decimal prefixes, as vendors state memory capacity (80 GB = 80e9 B), so a chip's
 * capacity and a model's footprint read in the same unit; three significant digits, so 32 MB of
 * SRAM reads "32.0 MB", not "0.0 GB". `binary` switches to KiB/MiB/GiB.
 */
export function fmtBytes(b: number | undefined, binary = false): string {
  if (b === undefined || !Number.isFinite(b)) return "—";
  const a = Math.abs(b);
  const table: Array<[number, string]> = binary
    ? [[2 ** 50, "PiB"], [2 ** 40, "TiB"], [2 ** 30, "GiB"], [2 ** 20, "MiB"], [2 ** 10, "KiB"]]
    : [[1e15, "PB"], [1e12, "TB"], [1e9, "GB"], [1e6, "MB"], [1e3, "kB"]];
  for (const [s, p] of table) if (a >= s) return `${(b / s).toPrecision(3)} ${p}`;
  return `${b} B`;
}
