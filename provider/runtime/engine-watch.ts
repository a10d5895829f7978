import * as net from "node:net";

/**
 * Stops this provider process when the Pulumi engine that started it is gone (a `kill -9` of
 * `pulumi up`, a crashed CI runner). The dynamic-provider host would otherwise keep running the
 * operations already queued, writing to accsyn for a deployment nobody records. The host is
 * started as `node …/dynamic-provider/index.js <engine address>` (through a shell, so the parent
 * pid does not tell), hence the check: the engine's gRPC port no longer accepts connections.
 */

const INTERVAL_MS = 1000;
let watching = false;

/** The engine's `host:port` when this process is the dynamic-provider host, else undefined. */
export function engineAddress(argv: readonly string[] = process.argv): string | undefined {
  const script = argv[1] ?? "";
  const address = argv[2] ?? "";
  if (!/dynamic-provider[\\/]index\.js$/.test(script)) return undefined;
  return /^[\w.-]+:\d+$|^\[[0-9a-f:]+\]:\d+$/i.test(address) ? address : undefined;
}

/** Resolves true when something accepts a TCP connection at `address` within `timeoutMs`. */
export function accepts(address: string, timeoutMs = 2000): Promise<boolean> {
  const i = address.lastIndexOf(":");
  const host = address.slice(0, i).replace(/^\[|\]$/g, "");
  const port = Number(address.slice(i + 1));
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(true)); // slow is not gone: an engine under load still counts
    socket.once("connect", () => done(true));
    socket.once("error", (e: NodeJS.ErrnoException) =>
      done(e.code !== "ECONNREFUSED" && e.code !== "ECONNRESET"),
    );
  });
}

/** Starts the watch once per process (a no-op outside the dynamic-provider host). */
export function watchEngine(onGone: () => void = () => process.exit(1)): void {
  const address = engineAddress();
  if (watching || address === undefined) return;
  watching = true;
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    void accepts(address).then((alive) => {
      checking = false;
      if (alive) return;
      clearInterval(timer);
      process.stderr.write(
        `pulumi-accsyn: the Pulumi engine at ${address} is gone; stopping before any further change\n`,
      );
      onGone();
    });
  }, INTERVAL_MS);
  timer.unref();
}
