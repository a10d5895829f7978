/**
 * Expected failures print their message once, without a stack trace.
 *
 * The dynamic-provider host of @pulumi/pulumi (cmd/dynamic-provider/index.js) reports a failed
 * check, diff, read or delete twice: it writes `${e}: ${e.stack}` to stderr, which the engine shows
 * as a diagnostic with the whole stack, and it returns the error, whose message the engine shows
 * under the resource. (A failed create or update is only returned.) For the provider's own errors
 * the message says everything, so the stderr copy is dropped: exactly that line, for exactly the
 * errors the lifecycle boundary just threw. Anything else written to stderr (a bug's stack
 * included) passes through.
 */
import { ProviderError } from "./errors";

/** The host writes the line right after the rejection; a few pending lines are plenty. */
const MAX_PENDING = 64;

// On globalThis: a test (or the host) may load this module more than once, and console.error
// must be wrapped once, reading one list of expected lines.
const STATE = Symbol.for("pulumi-accsyn.runtime.quiet");

function expectedLines(): Set<string> {
  const g = globalThis as { [STATE]?: Set<string> };
  if (g[STATE] === undefined) {
    const expected = new Set<string>();
    g[STATE] = expected;
    const write = console.error.bind(console);
    console.error = (...args: unknown[]) => {
      if (args.length === 1 && typeof args[0] === "string" && expected.delete(args[0])) return;
      write(...args);
    };
  }
  return g[STATE];
}

/** Marks an error about to leave the runtime as one whose host echo is dropped. */
export function quiet<E>(e: E): E {
  if (!(e instanceof ProviderError)) return e;
  const expected = expectedLines();
  if (expected.size >= MAX_PENDING) expected.delete(expected.values().next().value as string);
  expected.add(`${String(e)}: ${e.stack}`);
  return e;
}
