/**
 * Cost of a unit of work (a training step or run, a million tokens, a thousand images) from a
 * cost per busy chip-hour (owned or cloud) and the time the work takes on `chips` chips:
 *
 *   USD per unit = USD per busy chip-hour × chips × seconds per unit ÷ 3600
 *
 * Utilisation is already inside the per-busy-hour rate (idle hours are paid for by the busy ones).
 */
export function usdPerUnitOfWork(usdPerBusyChipHour: number, chips: number, secondsPerUnit: number): number {
  return (usdPerBusyChipHour * chips * secondsPerUnit) / 3600;
}

/** USD per million tokens at `tokensPerSecond` over the whole deployment of `chips` chips. */
export function usdPerMillionTokens(usdPerBusyChipHour: number, chips: number, tokensPerSecond: number): number {
  return usdPerUnitOfWork(usdPerBusyChipHour, chips, 1e6 / tokensPerSecond);
}

/** USD per thousand images at `imagesPerSecond` over the whole deployment of `chips` chips. */
export function usdPerThousandImages(usdPerBusyChipHour: number, chips: number, imagesPerSecond: number): number {
  return usdPerUnitOfWork(usdPerBusyChipHour, chips, 1e3 / imagesPerSecond);
}
