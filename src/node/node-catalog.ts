/**
 * The Node implementation of the application layer's `Catalog`: catalog ids from catalog/, spec files
 * (relative paths resolved against `baseFile`'s folder, else the working directory) and inline objects.
 * The same assembly as the browser's `packedCatalog` (core/app/lookup-catalog.ts), plus file paths
 * and the validation name maps.
 */
import { dirname, isAbsolute, resolve } from "node:path";
import type { Catalog } from "../core/app/catalog.js";
import { withCalibration } from "../core/app/calibrated-catalog.js";
import { catalogFromLookups } from "../core/app/lookup-catalog.js";
import { activeCalibration } from "./calibration-state.js";
import { nodeLookups } from "./node-lookups.js";
import { contextFor } from "./resolvers.js";
import { readServingTrace } from "./serving-trace-file.js";
import { validationResolvers } from "./validation-resolvers.js";

export function nodeCatalog(baseFile?: string): Catalog {
  const base = baseFile ? dirname(baseFile) : process.cwd();
  const path = (p: string) => (/\.(ya?ml|json)$/i.test(p) && !isAbsolute(p) ? resolve(base, p) : p);
  const servingTrace = (p: string) => readServingTrace(isAbsolute(p) ? p : resolve(base, p), p);
  const catalog: Catalog = { ...catalogFromLookups(nodeLookups(), { path, ...(baseFile !== undefined ? { baseFile } : {}) }, contextFor), validationResolvers, servingTrace };
  // A calibration overlay in use (--calibration) is applied on top; the built-in catalog is unchanged.
  const calibration = activeCalibration();
  return calibration ? withCalibration(catalog, calibration.overlay, calibration.file) : catalog;
}
