import * as assert from "node:assert/strict";
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import * as path from "node:path";
import { type WireTarget, type WireUser, type Wire } from "./wire";

/** Resident set size of a process in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}

/** What the other client (hardening-probe.ts, its own process) saw while an attack ran. */
export interface ProbeReport {
  /** Replies that were a 200 with a result. */
  probes: number;
  /** Slowest reply (ms). */
  maxLatencyMs: number;
  /** Replies that were not a 200. */
  failures: string[];
  rssBeforeMiB: number;
  peakRssMiB: number;
}

export interface Watch<T> extends ProbeReport {
  result: T;
}

const PROBE = path.join(__dirname, "hardening-probe.js");

/**
 * Runs `attack` while another client, in its own process and on its own
 * connection, keeps asking the server for the volume list and samples the
 * server's RSS. The probe starts answering before the attack starts and is
 * stopped when it ends; the attack itself is bounded by its caller.
 */
export async function whileAttacking<T>(
  target: WireTarget,
  user: WireUser,
  pid: number,
  attack: () => Promise<T>,
): Promise<Watch<T>> {
  const child = fork(PROBE, [target.url, user.code, user.apiKey, String(pid)], { stdio: "inherit" });
  const report = new Promise<ProbeReport>((resolve, reject) => {
    child.on("message", (m) => {
      if (m !== "ready") resolve(m as ProbeReport);
    });
    child.on("exit", (code) => reject(new Error(`the probe exited ${code} without a report`)));
  });
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`the probe exited ${code} before its first reply`)));
  });
  let result: T;
  try {
    result = await attack();
  } finally {
    child.send("stop");
  }
  return { result, ...(await report) };
}

/**
 * What every attack must leave true, as the other client saw it: it kept
 * getting 200s, each within a second, and the server's RSS stayed under caps.
 */
export function assertServed(
  name: string,
  w: ProbeReport,
  caps: { growthMiB: number; totalMiB: number },
): void {
  console.log(
    `      ${name}: RSS ${w.rssBeforeMiB.toFixed(0)} → peak ${w.peakRssMiB.toFixed(0)} MiB, ` +
      `other client ${w.probes} replies, slowest ${w.maxLatencyMs.toFixed(0)} ms`,
  );
  assert.deepEqual(w.failures, [], "the other client got only 200s");
  assert.ok(w.probes >= 1, "the other client got replies");
  assert.ok(w.maxLatencyMs < 1000, `the other client waited ${w.maxLatencyMs.toFixed(0)} ms`);
  const growth = w.peakRssMiB - w.rssBeforeMiB;
  assert.ok(growth < caps.growthMiB, `RSS grew ${growth.toFixed(0)} MiB (cap ${caps.growthMiB})`);
  assert.ok(
    w.peakRssMiB < caps.totalMiB,
    `RSS peaked at ${w.peakRssMiB.toFixed(0)} MiB (cap ${caps.totalMiB})`,
  );
}

export interface RawReply {
  status: number;
  text: string;
  /** The body parsed as JSON, if it is JSON. */
  json: unknown;
  bytesSent: number;
}

/** An open connection that sent a request head and some body, and is left open. */
export interface Upload {
  /** Resolves once everything was handed to the socket (or it closed). */
  written: Promise<void>;
  /** The server's reply (status 0 if it closed without one). */
  reply: Promise<RawReply>;
  destroy(): void;
}

/**
 * Sends `head` and then up to `bodyBytes` of filler over a plain socket, the
 * way an attacker would, stopping as soon as the server answers or closes. The
 * socket stays open until the reply is complete, the server closes, or destroy().
 */
export function upload(port: number, head: string, bodyBytes: number, timeoutMs = 30_000): Upload {
  const socket = connect(port, "127.0.0.1");
  const chunk = Buffer.alloc(64 * 1024, "a");
  let sent = 0;
  let received = Buffer.alloc(0);
  let answered = false;
  let wrote: () => void = () => undefined;
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const pump = (): void => {
    while (!answered && !socket.destroyed && sent < bodyBytes) {
      const n = Math.min(chunk.length, bodyBytes - sent);
      sent += n;
      if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
        socket.once("drain", pump);
        return;
      }
    }
    wrote();
  };
  socket.on("connect", () => {
    socket.write(head);
    pump();
  });
  socket.on("data", (b: Buffer) => {
    answered = true;
    received = Buffer.concat([received, b]);
    const text = received.toString("utf8");
    const end = text.indexOf("\r\n\r\n");
    const len = /content-length:\s*(\d+)/i.exec(text);
    if (end >= 0 && len && Buffer.byteLength(text.slice(end + 4)) >= Number(len[1])) socket.destroy();
  });
  // EPIPE/ECONNRESET while still sending is expected once the server has refused us.
  socket.on("error", () => undefined);
  const timer = setTimeout(() => socket.destroy(), timeoutMs);
  const reply = new Promise<RawReply>((resolve) => {
    socket.on("close", () => {
      clearTimeout(timer);
      wrote();
      const text = received.toString("utf8");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const body = text.slice(text.indexOf("\r\n\r\n") + 4);
      let json: unknown;
      try {
        json = JSON.parse(body) as unknown;
      } catch {
        json = undefined;
      }
      resolve({ status, text, json, bytesSent: sent });
    });
  });
  return { written, reply, destroy: () => socket.destroy() };
}

/** upload() to the end: the reply to `head` plus up to `bodyBytes` of filler. */
export function rawHttp(port: number, head: string, bodyBytes: number): Promise<RawReply> {
  return upload(port, head, bodyBytes).reply;
}

/** What a user would look at to see nothing changed: every volume and user, as the API lists them. */
export async function snapshot(w: Wire): Promise<string> {
  const vols = await w.result("GET", "volume/find", { data: { inactive: true } });
  const users = await w.result("GET", "user/find", { data: { inactive: true } });
  return JSON.stringify({ vols, users });
}
