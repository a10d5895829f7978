import type * as dynamic from "@pulumi/pulumi/dynamic";
import { providerText } from "pulumi-accsyn/resources/provider";

/**
 * A serialized provider (`__provider`) loaded the way Pulumi's dynamic-provider host loads it: as a
 * CommonJS module whose `handler()` returns the provider object. `require` resolves from this
 * process's working directory, the repo root, where `pulumi-accsyn` is this package, as it does
 * from a project directory in the host.
 */
export function loadProvider(text: string): dynamic.ResourceProvider {
  const mod = { exports: {} as { handler?: () => dynamic.ResourceProvider } };
  new Function("exports", "module", "require", text)(mod.exports, mod, require);
  const handler = mod.exports.handler;
  if (typeof handler !== "function") throw new Error("the provider text exports no handler");
  return handler();
}

const loaded = new Map<string, dynamic.ResourceProvider>();

/**
 * The provider of a kind as the host gets it from the state of a resource made today: one object
 * per text, as the host caches it (so `configure` once configures every later call).
 */
export function hostProvider(kind: string): dynamic.ResourceProvider {
  const text = providerText(kind);
  let provider = loaded.get(text);
  if (provider === undefined) {
    provider = loadProvider(text);
    loaded.set(text, provider);
  }
  return provider;
}
