"use strict";
// Test tiers, cheapest first. `TEST_TIER=<tier>` (set by `npm run test:<tier>`) runs one of them.
const TIERS = ["emulator", "client", "provider", "engine"];
const tier = process.env.TEST_TIER;
if (tier && !TIERS.includes(tier))
  throw new Error(`TEST_TIER must be one of ${TIERS.join(", ")}, not '${tier}'`);

module.exports = {
  spec: (tier ? [tier] : TIERS)
    .map((t) => `dist/tests/${t}/**/*.test.js`)
    // the engine smoke test lived in tests/smoke before the tiers
    .concat(
      !tier || tier === "engine"
        ? require("fs").existsSync("dist/tests/smoke")
          ? ["dist/tests/smoke/**/*.test.js"]
          : []
        : [],
    ),
  timeout: 120000,
  reporter: "./tests/reporter.js",
  "enable-source-maps": true,
};
