import type { z } from "zod";

/**
 * Provenance follows each figure through `extends:`. A figure is a sourced value (bare, inheriting
 * the file's default `source:`, or `{ value, source, derived, range, note }`). When a child extends a
 * parent:
 *  - the parent's figures keep the parent's citations: its default `source` is written onto each of
 *    its figures that has none (`pinDefaultSource`), so the child's default never relabels them;
 *  - a figure the child overrides is replaced whole (deepMerge), so it carries only what the child
 *    gives: its own source/derivation/range, else the child's default `source`, else none;
 *  - the child's numbered `sources` that collide with different parent entries are renumbered, with
 *    every citation in the child (`renumberChildSources`), so inherited citations keep their meaning.
 */

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** Fields whose content is not a figure of this spec (validated elsewhere or not sourced per figure). */
const NOT_FIGURES = new Set(["sources", "source", "efficiency", "design"]);

function defaultSourceOf(doc: Record<string, unknown>): number[] | undefined {
  const s = doc.source;
  if (typeof s === "number") return [s];
  return Array.isArray(s) && s.every((x) => typeof x === "number") ? (s as number[]) : undefined;
}

/**
 * The parent document with its default `source` written onto each figure that cites nothing. The
 * figures are found by parsing the parent (a figure parses to `{ value, ... }`); a parent that does
 * not parse is returned unchanged (its errors surface when the child is validated).
 */
export function pinDefaultSource(schema: z.ZodType | undefined, parent: Record<string, unknown>): Record<string, unknown> {
  const source = defaultSourceOf(parent);
  if (!source || !schema) return parent;
  const parsed = schema.safeParse(parent);
  if (!parsed.success) return parent;
  const out: Record<string, unknown> = { ...parent };
  for (const [k, v] of Object.entries(parent)) if (!NOT_FIGURES.has(k)) out[k] = pin(v, (parsed.data as Record<string, unknown>)[k], source);
  return out;
}

function pin(raw: unknown, parsed: unknown, source: number[]): unknown {
  if (isPlainObject(parsed) && "value" in parsed) {
    if (isPlainObject(raw) && "value" in raw) return raw.source === undefined ? { ...raw, source } : raw;
    return { value: raw, source };
  }
  if (Array.isArray(raw) && Array.isArray(parsed)) return raw.map((r, i) => pin(r, parsed[i], source));
  if (isPlainObject(raw) && isPlainObject(parsed)) return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, pin(v, parsed[k], source)]));
  return raw;
}

/**
 * The child document with its `sources` entries that collide with a different parent entry moved to
 * unused numbers, and its citations (the default `source` and each figure's `source`) rewritten.
 * Citations of numbers the child does not define keep pointing at the parent's entries.
 */
export function renumberChildSources(child: Record<string, unknown>, parentSources: unknown): Record<string, unknown> {
  const own = child.sources;
  if (!isPlainObject(own) || !isPlainObject(parentSources)) return child;
  const used = [...Object.keys(own), ...Object.keys(parentSources)].map(Number).filter(Number.isFinite);
  let next = Math.max(0, ...used) + 1;
  const moved = new Map<number, number>();
  for (const [k, entry] of Object.entries(own)) {
    if (k in parentSources && JSON.stringify(parentSources[k]) !== JSON.stringify(entry)) moved.set(Number(k), next++);
  }
  if (moved.size === 0) return child;
  const cite = (s: unknown): unknown => (typeof s === "number" ? (moved.get(s) ?? s) : Array.isArray(s) ? s.map(cite) : s);
  const rewrite = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(rewrite);
    if (!isPlainObject(x)) return x;
    const out = Object.fromEntries(Object.entries(x).map(([k, v]) => [k, rewrite(v)]));
    if ("value" in x && "source" in x) out.source = cite(x.source);
    return out;
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(child)) {
    if (k === "sources") out[k] = Object.fromEntries(Object.entries(own).map(([n, e]) => [String(moved.get(Number(n)) ?? n), e]));
    else if (k === "source") out[k] = cite(v);
    // Every citation the child makes is rewritten, its efficiency overrides' included.
    else out[k] = rewrite(v);
  }
  return out;
}
