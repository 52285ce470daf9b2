/**
 * A strict little XML well-formedness check for the SVGs the charts produce (no DOM in Node, and no
 * XML parser among the dependencies): every tag closes in order, attributes are quoted and unique,
 * entities are known, text has no bare '<' or '&'. Returns the error, or undefined when well-formed.
 */
const NAME = /^[A-Za-z_][\w.:-]*$/;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

export function xmlError(xml: string): string | undefined {
  const stack: string[] = [];
  let i = 0;
  let roots = 0;
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text.replace(ENTITY, "").includes("&")) return `bare & in text near ${i}`;
    if (stack.length === 0 && text.trim()) return `text outside the root near ${i}`;
    if (lt < 0) break;
    if (xml.startsWith("<!--", lt)) {
      const end = xml.indexOf("-->", lt);
      if (end < 0) return "unclosed comment";
      i = end + 3;
      continue;
    }
    if (xml.startsWith("<?", lt)) {
      const end = xml.indexOf("?>", lt);
      if (end < 0) return "unclosed processing instruction";
      i = end + 2;
      continue;
    }
    const gt = findTagEnd(xml, lt);
    if (gt < 0) return `unclosed tag at ${lt}`;
    const tag = xml.slice(lt + 1, gt);
    const err = tag.startsWith("/") ? closeTag(tag, stack) : openTag(tag, stack, () => roots++);
    if (err) return `${err} (at ${lt})`;
    i = gt + 1;
  }
  if (stack.length) return `unclosed <${stack[stack.length - 1]}>`;
  return roots === 1 ? undefined : `expected one root element, got ${roots}`;
}

function findTagEnd(xml: string, from: number): number {
  let quote: string | undefined;
  for (let j = from + 1; j < xml.length; j++) {
    const ch = xml[j]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "<") return -1;
    else if (ch === ">") return j;
  }
  return -1;
}

function closeTag(tag: string, stack: string[]): string | undefined {
  const name = tag.slice(1).trim();
  const open = stack.pop();
  return open === name ? undefined : `</${name}> closes <${open ?? "nothing"}>`;
}

function openTag(tag: string, stack: string[], onRoot: () => void): string | undefined {
  const selfClosing = tag.endsWith("/");
  const body = selfClosing ? tag.slice(0, -1) : tag;
  const name = /^\S+/.exec(body)?.[0] ?? "";
  if (!NAME.test(name)) return `bad tag name "${name}"`;
  const attrs = body.slice(name.length);
  const seen = new Set<string>();
  const re = /\s+([^\s=]+)\s*=\s*("[^"]*"|'[^']*')/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(attrs))) {
    if (!NAME.test(m[1]!)) return `bad attribute name "${m[1]}"`;
    if (seen.has(m[1]!)) return `duplicate attribute ${m[1]}`;
    seen.add(m[1]!);
    const value = m[2]!.slice(1, -1);
    if (value.includes("<") || value.replace(ENTITY, "").includes("&")) return `bad character in attribute ${m[1]}`;
    pos = re.lastIndex;
  }
  if (attrs.slice(pos).trim()) return `malformed attributes in <${name}>: "${attrs.slice(pos).trim().slice(0, 40)}"`;
  if (stack.length === 0) onRoot();
  if (!selfClosing) stack.push(name);
  return undefined;
}
