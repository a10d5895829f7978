import * as assert from "node:assert/strict";
import fc from "fast-check";

import { isAccsynUsageError, q, quote, unquote } from "../../provider/client";

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
