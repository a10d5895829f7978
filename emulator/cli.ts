#!/usr/bin/env node
/**
 * accsyn-local --port 8181 --host 127.0.0.1 --data DIR --seed FILE [--control] [--rate-limit 30/60|off]
 *   [--max-url 1MiB] [--max-body 8MiB] [--max-inflated 8MiB] [--file-find-needs-parent]
 */
import { readFileSync } from "node:fs";
import { startServer, type StartOptions } from "./index";
import { type Limits, parseSize } from "./limits";
import { parseRateLimit } from "./ratelimit";

const USAGE =
  "usage: accsyn-local [--port 8181] [--host 127.0.0.1] [--data DIR] [--seed FILE.json] [--control] [--rate-limit 30/60|off]" +
  " [--max-url 1MiB] [--max-body 8MiB] [--max-inflated 8MiB] [--file-find-needs-parent]";

const SIZE_FLAGS: Record<string, keyof Limits> = {
  "--max-url": "maxUrlBytes",
  "--max-body": "maxBodyBytes",
  "--max-inflated": "maxInflatedBytes",
};

function parseArgs(argv: string[]): StartOptions {
  const opts: StartOptions = { port: 8181 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case "--port": {
        const p = Number(value());
        if (!Number.isInteger(p) || p < 0 || p > 65535) throw new Error(`Invalid --port\n${USAGE}`);
        opts.port = p;
        break;
      }
      case "--host":
        opts.host = value();
        break;
      case "--data":
        opts.dataDir = value();
        break;
      case "--seed":
        opts.seed = JSON.parse(readFileSync(value(), "utf8")) as StartOptions["seed"];
        break;
      case "--control":
        opts.control = true;
        break;
      case "--file-find-needs-parent":
        opts.fileFindNeedsParent = true;
        break;
      case "--rate-limit":
        opts.rateLimit = parseRateLimit(value());
        break;
      case "--max-url":
      case "--max-body":
      case "--max-inflated":
        opts.limits = { ...opts.limits, [SIZE_FLAGS[flag]]: parseSize(flag, value()) };
        break;
      case "--help":
      case "-h":
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        throw new Error(`Unknown argument '${arg}'\n${USAGE}`);
    }
  }
  return opts;
}

async function main(): Promise<void> {
  const server = await startServer(parseArgs(process.argv.slice(2)));
  process.stdout.write(`accsyn-local listening on ${server.url}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`accsyn-local: error while stopping: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`accsyn-local: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
