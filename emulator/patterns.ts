/**
 * Text matching for the query language in time linear in the input: `matches`
 * runs on RE2 (re2js, no backtracking), `*` wildcards on a two-pointer matcher.
 * JavaScript's RegExp backtracks: `^(a+)+$` against 27 `a` and a `!` took
 * seconds and stopped every other request.
 */
import { RE2JS } from "re2js";
import { BadRequestError } from "./errors";

/** Long enough for any real filter; bounds compile time (a 100 KiB pattern compiles in ~0.5 s). */
export const MAX_PATTERN_LENGTH = 1000;

export interface Pattern {
  test(text: string): boolean;
}

/** Compile a `matches` pattern (RE2 syntax, case-insensitive); 400 naming the problem otherwise. */
export function compileRegex(pattern: string): Pattern {
  if (pattern.length > MAX_PATTERN_LENGTH)
    throw new BadRequestError(
      `The regular expression of 'matches' is longer than ${MAX_PATTERN_LENGTH} characters`,
    );
  try {
    return RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new BadRequestError(
      `Invalid regular expression '${pattern}' for 'matches' (RE2 syntax: no backreferences or lookaround): ${why}`,
    );
  }
}

/**
 * Whole-string match of `text` against `glob`, where `*` is any run of
 * characters. On a mismatch after a star only that star is retried one
 * character further, so the work is at most |text| x |glob|.
 */
export function globMatch(glob: string, text: string): boolean {
  let g = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (g < glob.length && glob[g] === "*") {
      star = g++;
      resume = t;
    } else if (g < glob.length && glob[g] === text[t]) {
      g++;
      t++;
    } else if (star >= 0) {
      g = star + 1;
      t = ++resume;
    } else return false;
  }
  while (g < glob.length && glob[g] === "*") g++;
  return g === glob.length;
}
