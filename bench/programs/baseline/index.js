// The floor the provider is measured against: every entry of the `e2e:resources` config becomes a
// dynamic resource of the same type token (`pulumi-nodejs:dynamic/accsyn:<Kind>`), name, inputs and
// dependencies as in tests/fixtures/workspace, but its provider does no work. BENCH_DRIFTED (resource
// names, comma-separated) makes diff report a change for those, so the drift preview plans the same
// updates as the provider's, and read return them changed, so the refresh records as many updates;
// it is read when diff or read runs, in the provider's process.
//
// By default each resource is a `dynamic.Resource`, whose provider the SDK's closure serializer turns
// into text (1,914 bytes, stored twice per resource): the baseline issue 13 names. With
// BENCH_PROVIDER_TEXT=minimal the same no-op provider is a hand-written module text of ~400 bytes,
// registered the way pulumi-accsyn registers its resources (CustomResource with `__provider`): the
// floor with a state as small as the provider's.
"use strict";
const pulumi = require("@pulumi/pulumi");

// At a refresh, the resources BENCH_DRIFTED names read back changed, as the provider's drifted ones
// do: the refresh records the same number of updates.
function drifted(props) {
  return (process.env.BENCH_DRIFTED || "").split(",").includes(props.resourceName)
    ? { ...props, benchDrift: true }
    : props;
}

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
    return { id, props: drifted(props) };
  },
  async update(id, olds, news) {
    return { outs: news };
  },
  async delete() {},
};

// The same methods as text: the dynamic-provider host loads it as a module and calls `handler()`.
const MINIMAL = `exports.handler = () => ({
  check: async (olds, news) => ({ inputs: news }),
  diff: async (id, olds, news) => ({ changes: (process.env.BENCH_DRIFTED || "").split(",").includes(news.resourceName) }),
  create: async (inputs) => ({ id: inputs.resourceName, outs: inputs }),
  read: async (id, props) => ({ id, props: (process.env.BENCH_DRIFTED || "").split(",").includes(props.resourceName) ? { ...props, benchDrift: true } : props }),
  update: async (id, olds, news) => ({ outs: news }),
  delete: async () => {},
});
`;
const minimal = process.env.BENCH_PROVIDER_TEXT === "minimal";

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
  made[s.name] = minimal
    ? new pulumi.CustomResource(
        `pulumi-nodejs:dynamic/accsyn:${s.type}`,
        s.name,
        { ...props, __provider: MINIMAL },
        { dependsOn },
      )
    : new pulumi.dynamic.Resource(noop, s.name, props, { dependsOn }, "accsyn", s.type);
}
exports.ids = Object.fromEntries(Object.entries(made).map(([n, r]) => [n, r.id]));
