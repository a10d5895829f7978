// The floor the provider is measured against: every entry of the `e2e:resources` config becomes a
// dynamic resource of the same type token (`pulumi-nodejs:dynamic/accsyn:<Kind>`), name, inputs and
// dependencies as in tests/fixtures/workspace, but its provider does no work. BENCH_DRIFTED (resource
// names, comma-separated) makes diff report a change for those, so the drift preview plans the same
// updates as the provider's; it is read when diff runs, in the provider's process.
"use strict";
const pulumi = require("@pulumi/pulumi");

// One provider object for all resources: the SDK serializes each resource's provider, and this one
// captures nothing, so its text is the smallest a dynamic resource can carry.
const noop = {
  async check(olds, news) {
    return { inputs: news };
  },
  async diff(id, olds, news) {
    const drifted = (process.env.BENCH_DRIFTED || "").split(",");
    return { changes: drifted.includes(news.resourceName) };
  },
  async create(inputs) {
    return { id: inputs.resourceName, outs: inputs };
  },
  async read(id, props) {
    return { id, props };
  },
  async update(id, olds, news) {
    return { outs: news };
  },
  async delete() {},
};

const specs = new pulumi.Config("e2e").requireObject("resources");
const made = {};
const ref = (v) => {
  if (typeof v === "string" && v.startsWith("@")) return made[v.slice(1)].id;
  if (Array.isArray(v)) return v.map(ref);
  return v;
};
for (const s of specs) {
  const args = Object.fromEntries(Object.entries(s.args).map(([k, v]) => [k, ref(v)]));
  const dependsOn = (s.dependsOn ?? []).map((n) => made[n]);
  // resourceName: the input every accsyn resource also carries (its own name).
  const props = { ...args, resourceName: s.name };
  made[s.name] = new pulumi.dynamic.Resource(noop, s.name, props, { dependsOn }, "accsyn", s.type);
}
exports.ids = Object.fromEntries(Object.entries(made).map(([n, r]) => [n, r.id]));
