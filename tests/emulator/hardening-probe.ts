/**
 * The "other client" of the hardening tests, in its own process so that the
 * attacker's work in the test process cannot delay it: it keeps asking
 * the server for the volume list (every 20 ms) and samples the server's RSS every 20 ms,
 * until the parent says stop; then it reports what it saw.
 * argv: <server url> <user e-mail> <api key> <server pid>
 */
import { type ProbeReport, rssMiB } from "./hardening";
import { Wire, sendEvent } from "./wire";

async function main(): Promise<void> {
  const [url, code, apiKey, pidText] = process.argv.slice(2);
  const pid = Number(pidText);
  const target = { url };
  const user = { code, apiKey };
  const other = await Wire.login(target, user);
  const report: ProbeReport = {
    probes: 0,
    maxLatencyMs: 0,
    failures: [],
    rssBeforeMiB: rssMiB(pid),
    peakRssMiB: 0,
  };
  report.peakRssMiB = report.rssBeforeMiB;
  let stop = false;
  const sampler = setInterval(() => {
    report.peakRssMiB = Math.max(report.peakRssMiB, rssMiB(pid));
  }, 20);
  process.on("message", () => {
    stop = true;
  });
  let first = true;
  // Bounded: the parent stops us after its attack, which its own test timeout bounds; 5 minutes at most regardless.
  const deadline = Date.now() + 5 * 60_000;
  while ((first || !stop) && Date.now() < deadline) {
    const t0 = performance.now();
    const r = await sendEvent(target, user, other.session, "GET", "volume/find", { data: {} });
    report.maxLatencyMs = Math.max(report.maxLatencyMs, performance.now() - t0);
    if (r.status === 200) report.probes++;
    else report.failures.push(`${r.status} ${r.text.slice(0, 200)}`);
    if (first) {
      first = false;
      process.send?.("ready");
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  clearInterval(sampler);
  report.peakRssMiB = Math.max(report.peakRssMiB, rssMiB(pid));
  process.send?.(report, undefined, undefined, () => process.exit(0));
}

main().catch((err: unknown) => {
  process.stderr.write(`hardening probe: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
