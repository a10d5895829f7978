"use strict";
// Test tiers, cheapest first. `TEST_TIER=<tier>` (set by `npm run test:<tier>`) runs one of them.
// Test files named on the command line (`npx mocha dist/tests/x/y.test.js`) run alone: mocha would
// otherwise add them to the configured spec and run everything.
const TIERS = ["emulator", "client", "provider", "engine"];
const tier = process.env.TEST_TIER;
if (tier && !TIERS.includes(tier))
  throw new Error(`TEST_TIER must be one of ${TIERS.join(", ")}, not '${tier}'`);
const named = process.argv.slice(2).some((a) => /(^|\/)dist\/tests\/|\.test\.js$/.test(a));

function specOf(t) {
  return [`dist/tests/${t}/**/*.test.js`];
}

module.exports = {
  ...(named ? {} : { spec: (tier ? [tier] : TIERS).flatMap(specOf) }),
  timeout: 120000,
  reporter: "./tests/reporter.js",
  "enable-source-maps": true,
};
