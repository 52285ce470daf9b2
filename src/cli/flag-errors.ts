import { XpusimError } from "../core/diagnostics/diagnostic.js";
import { UsageError } from "./output.js";

/**
 * Jobs name request fields ("input_tokens"); users typed flags ("--input"). A diagnostic saying a
 * field the command sets from a flag does not apply or is out of range is a usage error: it is rethrown naming the flag (in the
 * message and hint), so `xpusim compare --input 5 --model resnet-50` says "--input does not apply
 * to resnet-50 (a cnn model …)" and exits with the usage code.
 */
export function withFlagNames<T>(flagOf: Readonly<Record<string, string>>, call: () => T): T {
  try {
    return call();
  } catch (e) {
    // Only a value that does not apply or is out of range is the flag's fault; an unknown id stays bad input.
    const aboutFlags = (d: XpusimError["diagnostics"][number]) => d.path in flagOf && (d.code === "E_UNSUPPORTED" || d.code === "E_RANGE");
    if (!(e instanceof XpusimError) || !e.diagnostics.every(aboutFlags)) throw e;
    const rename = (text: string) => text.replace(/\b[a-z_]+\b/g, (w) => (w in flagOf ? flagOf[w]! : w));
    const [first, ...rest] = e.diagnostics;
    const message = [first!, ...rest].map((d) => rename(d.message)).join("; ");
    throw new UsageError(message, first!.hint ? rename(first!.hint) : undefined);
  }
}
