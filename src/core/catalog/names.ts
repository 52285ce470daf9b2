/** Lower case, runs of whitespace collapsed to one space, trimmed: the form aliases are compared in. */
export function normaliseName(text: string): string {
  return text.trim().replace(/\s+/g, " ").toLowerCase();
}

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[a-z0-9]/.test(c);

/** True when `needle` occurs in `hay` with no letter or digit directly before or after it. */
export function containsWords(hay: string, needle: string): boolean {
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
    if (!isWordChar(hay[at - 1]) && !isWordChar(hay[at + needle.length])) return true;
  }
  return false;
}

/**
 * The id whose normalised key (id or alias) is the longest one contained in `text` as whole words,
 * or undefined when none is or two ids tie for the longest.
 */
export function longestContained(index: ReadonlyMap<string, string>, text: string): string | undefined {
  let best: { length: number; id: string; ambiguous: boolean } | undefined;
  for (const [key, id] of index) {
    if (key.length > text.length || !containsWords(text, key)) continue;
    if (!best || key.length > best.length) best = { length: key.length, id, ambiguous: false };
    else if (key.length === best.length && best.id !== id) best.ambiguous = true;
  }
  return best && !best.ambiguous ? best.id : undefined;
}

/** True when a string reference is written as a spec file (a .yaml/.yml/.json name). */
export const looksLikeSpecFile = (ref: string): boolean => /\.(ya?ml|json)$/i.test(ref);

/** The last segment of a path (either separator). */
export const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;
