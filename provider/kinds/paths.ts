/**
 * What accsyn refuses in a path within a share (a Grant rule's path, a Folder's path beneath its
 * volume, the path part of a Collection file), so preview refuses it too, naming the field, instead
 * of `up` failing halfway through.
 */
import { z } from "zod";

// Control characters are the point of this pattern (accsyn refuses them in paths).
// eslint-disable-next-line no-control-regex
const CONTROL_OR_INVISIBLE = /[\u0000-\u001f\u007f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;
export const MAX_PATH = 4096;

export interface PathProblem {
  message: string;
  fix: string;
}

/** Why accsyn would refuse `p` as a path relative to a share, or undefined. `/` alone is the share's root. */
export function pathProblem(p: string): PathProblem | undefined {
  const s = p.trim().replace(/\\/g, "/");
  if (s.startsWith("/") && s.replace(/\/+/g, "") !== "") {
    const rel = s.replace(/^\/+/, "");
    return {
      message: `'${p}' is absolute; accsyn takes paths relative to the share and refuses this one`,
      fix: `write '${rel}' (or '/' for the whole share)`,
    };
  }
  if (/^[A-Za-z]:/.test(s))
    return { message: `'${p}' is a drive path; accsyn refuses it`, fix: "give a path relative to the share" };
  if (CONTROL_OR_INVISIBLE.test(s))
    return {
      message: "holds a control or invisible character; accsyn refuses it",
      fix: "retype the path without it",
    };
  if (s.split("/").some((x) => x !== "." && /^\.+$/.test(x.normalize("NFKC").trim())))
    return {
      message: `'${p}' has a segment of dots ('..' or a look-alike); accsyn refuses it`,
      fix: "name the directory inside the share directly",
    };
  if (s.length > MAX_PATH)
    return { message: `is longer than ${MAX_PATH} characters`, fix: "use a shorter path" };
  return undefined;
}

/** True when `p` names the share's root itself (empty once `.` segments and slashes are dropped). */
export function isRoot(p: string): boolean {
  return (
    p
      .trim()
      .replace(/\\/g, "/")
      .split("/")
      .filter((x) => x !== "" && x !== ".").length === 0
  );
}

/** A zod refinement from a path check: the problem's message and fix become the field's failure. */
export function refinePath(check: (p: string) => PathProblem | undefined) {
  return (p: string, ctx: z.RefinementCtx): void => {
    const problem = check(p);
    if (problem)
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem.message, params: { fix: problem.fix } });
  };
}
