import * as assert from "node:assert/strict";
import fc from "fast-check";

import { startServer } from "accsyn-local";
import { parseQuery } from "accsyn-local/query";
import { isAccsynUsageError, q, quote, unquote } from "pulumi-accsyn/client";
import { clientFor } from "./local";

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f*]/;

describe("client query builder", () => {
  it("renders comparisons, lists and combinations", () => {
    assert.equal(q.eq("code", "projects").toString(), 'code="projects"');
    assert.equal(q.eq("name", 'say "hi"').toString(), `name='say "hi"'`);
    assert.equal(q.ne("status", "disabled").toString(), 'status!="disabled"');
    assert.equal(q.gt("size", 10).toString(), "size>10");
    assert.equal(q.eq("inactive", true).toString(), "inactive=true");
    assert.equal(q.in("code", ["a", "b c"]).toString(), 'code in ("a","b c")');
    assert.equal(q.notIn("code", ["a"]).toString(), 'code not in ("a")');
    assert.equal(q.contains("name", "pro").toString(), 'name contains "pro"');
    assert.equal(q.like("code", "pro*").toString(), 'code="pro*"');
    assert.equal(
      q.eq("entity", q.ref("user", "0123456789abcdef01234567")).toString(),
      "entity=user:0123456789abcdef01234567",
    );
    assert.equal(
      q.and(q.eq("parent", "p"), q.or(q.eq("path", "a"), q.eq("path", "b"))).toString(),
      '(parent="p") AND ((path="a") OR (path="b"))',
    );
    assert.equal(q.and(q.eq("a", "b")).toString(), 'a="b"');
    assert.equal(q.eq("job.id", "x").toString(), 'job.id="x"');
  });

  it("rejects what it cannot render safely", () => {
    const bad = [
      () => q.eq("code; drop", "x"),
      () => q.eq("code", `both ' and "`),
      () => q.eq("code", "wild*"),
      () => q.eq("code", "line\nbreak"),
      () => q.gt("n", Number.NaN),
      () => q.in("code", []),
      () => q.ref("user", "x y"),
      () => q.and(),
      () => q.and("code=1" as unknown as ReturnType<typeof q.raw>),
    ];
    for (const f of bad) {
      assert.throws(f, (e: unknown) => isAccsynUsageError(e));
    }
  });

  it("property: any printable value is rendered as exactly one literal that unquotes to itself", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 40 }).filter((s) => !UNSAFE.test(s)),
        (s) => {
          let lit: string;
          try {
            lit = quote(s);
          } catch (e) {
            assert.ok(isAccsynUsageError(e));
            assert.ok(s.includes('"') && s.includes("'"));
            return;
          }
          const open = lit[0];
          assert.ok(open === '"' || open === "'");
          assert.ok(lit.endsWith(open));
          assert.ok(!lit.slice(1, -1).includes(open), "the quote char never appears inside");
          assert.equal(unquote(lit), s);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("property: a rendered equality has one comparison whose value is the user input", () => {
    // a reference tokenizer of the grammar: attr op literal
    const re = /^([A-Za-z_][A-Za-z0-9_.]*)(=)("([^"]*)"|'([^']*)')$/s;
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        let text: string;
        try {
          text = q.eq("code", s).toString();
        } catch {
          return UNSAFE.test(s) || (s.includes('"') && s.includes("'"));
        }
        const m = re.exec(text);
        assert.ok(m, text);
        assert.equal(m[1], "code");
        assert.equal(m[4] ?? m[5], s);
        return true;
      }),
      { numRuns: 2000 },
    );
  });
});

describe("client query builder: round trip through accsyn-local's parser", () => {
  type Node = ReturnType<typeof parseQuery>;
  const value = fc
    .string({ unit: "grapheme", maxLength: 30 })
    .filter((s) => !UNSAFE.test(s) && !(s.includes('"') && s.includes("'")));

  it("property: eq/in/and/or parse back to the same attributes and values", () => {
    fc.assert(
      fc.property(value, value, fc.array(value, { minLength: 1, maxLength: 4 }), (a, b, list) => {
        const node = parseQuery(
          q.or(q.and(q.eq("code", a), q.ne("name", b)), q.in("path", list)).toString(),
        ) as Node;
        assert.ok(node && node.kind === "or");
        const and = node.left;
        assert.ok(and.kind === "and");
        assert.deepEqual(and.left, { kind: "cmp", attr: "code", op: "=", negate: false, values: [a.trim()] });
        assert.deepEqual(and.right, { kind: "cmp", attr: "name", op: "=", negate: true, values: [b.trim()] });
        assert.deepEqual(node.right, {
          kind: "cmp",
          attr: "path",
          op: "in",
          negate: false,
          values: list.map((s) => s.trim()),
        });
      }),
      { numRuns: 1000 },
    );
  });

  it("finds exactly the folder whose name holds query syntax", async function () {
    this.timeout(60_000);
    const server = await startServer({ rateLimit: false });
    const c = clientFor(server, "admin", { budget: false });
    try {
      const hq = (await c.find("Server"))[0];
      const vol = await c.create("Volume", {
        name: "Q",
        code: "qvol",
        paths: { linux: "/q" },
        server: hq.id,
      });
      const names = [
        "plain",
        "with space",
        `it's`,
        `say "hi"`,
        "a AND b",
        "x) OR (1=1",
        "name=evil",
        "comma, list",
        "ünïcødé ✓",
        "trailing-dash-",
        "paren(",
      ];
      const made = await Promise.all(
        names.map((name, i) => c.create("Folder", { parent: vol.id, path: `q/${i}`, name, code: `q${i}` })),
      );
      for (let i = 0; i < names.length; i++) {
        const found = await c.find("Folder", q.and(q.eq("parent", vol.id), q.eq("name", names[i])));
        assert.deepEqual(
          found.map((f) => f.id),
          [made[i].id],
          `name ${JSON.stringify(names[i])}`,
        );
      }
      const some = await c.find("Folder", q.in("name", [names[2], names[3], names[5]]));
      assert.deepEqual(some.map((f) => f.code).sort(), ["q2", "q3", "q5"]);
    } finally {
      await c.close();
      await server.stop();
    }
  });
});
