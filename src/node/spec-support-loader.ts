/**
 * The one door to spec-support.ts (zod schemas and the YAML parser). Run from sources (tests, the
 * library build) it is an ordinary import; the CLI bundle replaces this file with one that loads the
 * spec-support chunk on first use (synchronously, or ahead of time through `preloadSpecSupport`),
 * so commands answered from the compiled catalog never load zod or yaml. See scripts/build-cli.ts.
 */
import * as support from "./spec-support.js";

export type SpecSupport = typeof support;

export function specSupport(): SpecSupport {
  return support;
}

/** Loads spec support ahead of use where that can only be done asynchronously (a no-op here). */
export async function preloadSpecSupport(): Promise<void> {}
