import * as assert from "node:assert/strict";
import fc from "fast-check";
import { startTestServer, type TestServer } from "../helpers/server";
import { codes, list, seedServers } from "./common";
import { Wire } from "./wire";

// Property: for random boolean combinations of =, !=, <, >, <=, >= (strings compare
// lexicographically), contains, not contains, in, not in, matches, not matches and
// `*` wildcards over folder codes, the server returns exactly the
// folders a direct reading of accsyn-wire.md §5 selects. Binary nodes are fully
// parenthesised, so operator precedence (undocumented) plays no part.
type Node =
  | { kind: "eq" | "ne" | "contains" | "notcontains"; value: string }
  | { kind: "in" | "notin"; values: string[] }
  | { kind: "wild"; prefix: string }
  | { kind: "lt" | "gt" | "le" | "ge"; value: string }
  | { kind: "matches" | "notmatches"; prefix: string; anchored: boolean }
  | { kind: "and" | "or"; left: Node; right: Node };

const ALPHABET = ["a", "b", "c"];
const CODES = ["a", "b", "c", "ab", "ba", "abc", "cab", "bb", "aca", "cc"];

function matches(n: Node, code: string): boolean {
  switch (n.kind) {
    case "eq":
      return code === n.value;
    case "ne":
      return code !== n.value;
    case "contains":
      return code.includes(n.value);
    case "notcontains":
      return !code.includes(n.value);
    case "in":
      return n.values.includes(code);
    case "notin":
      return !n.values.includes(code);
    case "wild":
      return code.startsWith(n.prefix);
    case "lt":
      return code < n.value;
    case "gt":
      return code > n.value;
    case "le":
      return code <= n.value;
    case "ge":
      return code >= n.value;
    case "matches":
      return n.anchored ? code.startsWith(n.prefix) : code.includes(n.prefix);
    case "notmatches":
      return !(n.anchored ? code.startsWith(n.prefix) : code.includes(n.prefix));
    case "and":
      return matches(n.left, code) && matches(n.right, code);
    case "or":
      return matches(n.left, code) || matches(n.right, code);
  }
}

/** Renders with random case and spacing: the server compares case-insensitively and trims spaces (§5). */
function render(n: Node, upper: boolean): string {
  const v = (s: string): string => (upper ? s.toUpperCase() : s);
  const k = (s: string): string => (upper ? s.toUpperCase() : s);
  switch (n.kind) {
    case "eq":
      return `code=${v(n.value)}`;
    case "ne":
      return `code != ${v(n.value)}`;
    case "contains":
      return `code ${k("contains")} ${v(n.value)}`;
    case "notcontains":
      return `code ${k("not contains")} ${v(n.value)}`;
    case "in":
      return `code ${k("in")} (${n.values.map(v).join(",")})`;
    case "notin":
      return `code ${k("not in")} (${n.values.map(v).join(", ")})`;
    case "wild":
      return `code=${v(n.prefix)}*`;
    case "lt":
      return `code<${v(n.value)}`;
    case "gt":
      return `code > ${v(n.value)}`;
    case "le":
      return `code<=${v(n.value)}`;
    case "ge":
      return `code >= ${v(n.value)}`;
    case "matches":
      return `code ${k("matches")} ${n.anchored ? "^" : ""}${v(n.prefix)}`;
    case "notmatches":
      return `code ${k("not matches")} ${n.anchored ? "^" : ""}${v(n.prefix)}`;
    case "and":
      return `(${render(n.left, upper)} ${k("and")} ${render(n.right, upper)})`;
    case "or":
      return `(${render(n.left, !upper)} ${k("or")} ${render(n.right, upper)})`;
  }
}

const word = fc.array(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: 3 }).map((a) => a.join(""));
const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({
      kind: fc.constantFrom("eq" as const, "ne" as const, "contains" as const, "notcontains" as const),
      value: word,
    }),
    fc.record({
      kind: fc.constantFrom("in" as const, "notin" as const),
      values: fc.array(word, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({ kind: fc.constant("wild" as const), prefix: word }),
    fc.record({
      kind: fc.constantFrom("lt" as const, "gt" as const, "le" as const, "ge" as const),
      value: word,
    }),
    fc.record({
      kind: fc.constantFrom("matches" as const, "notmatches" as const),
      prefix: word,
      anchored: fc.boolean(),
    }),
    fc.record({
      kind: fc.constantFrom("and" as const, "or" as const),
      left: tie("node"),
      right: tie("node"),
    }),
  ),
})).node;

describe("query language property (wire §5)", function () {
  this.timeout(120_000);
  let server: TestServer;
  let w: Wire;
  let volId: string;

  before(async () => {
    server = await startTestServer();
    const hq = (await seedServers(server))[0];
    w = await Wire.login(server, server.credentials("admin"));
    const v = list(
      await w.result("POST", "volume/create", {
        data: {
          name: "Prop",
          code: "propvol",
          paths: { linux: "/p", windows: "P:", mac: "/Volumes/p" },
          server: hq.id,
        },
      }),
    )[0];
    volId = String(v.id);
    for (const c of CODES) {
      await w.result("POST", "folder/create", {
        data: { parent: volId, path: `p/${c}`, name: `N ${c}`, code: c },
      });
    }
  });
  after(async () => server?.close());

  it("server results equal the reference reading for 150 random queries", async () => {
    await fc.assert(
      fc.asyncProperty(node, fc.boolean(), async (n, upper) => {
        const q = render(n, upper);
        const got = codes(
          list(await w.result("GET", "folder/find", { data: { parent: volId }, query: q }), q),
        );
        const want = CODES.filter((c) => matches(n, c)).sort();
        assert.deepEqual(got, want, `query ${JSON.stringify(q)}`);
      }),
      { numRuns: 150 },
    );
  });
});
