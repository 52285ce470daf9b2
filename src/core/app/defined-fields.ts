/**
 * The fields of `o` whose value is not undefined: request builders pass optional inputs on without
 * writing `...(x !== undefined ? { x } : {})` for each (the compiler's exactOptionalPropertyTypes
 * forbids an explicit undefined in an optional field).
 */
export function definedFields<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
