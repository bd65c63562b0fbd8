/** Unit tests run anywhere; e2e tests need a Docker Engine (started by their global setup) unless E2E=skip. */
const tsJest = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform: tsJest,
      testMatch: ["<rootDir>/tests/unit/**/*.test.ts"],
    },
    {
      displayName: "e2e",
      testEnvironment: "node",
      transform: tsJest,
      testMatch: ["<rootDir>/tests/e2e/**/*.e2e.test.ts"],
      globalSetup: "<rootDir>/tests/e2e/support/global-setup.ts",
      globalTeardown: "<rootDir>/tests/e2e/support/global-teardown.ts",
      testTimeout: 180000,
    },
  ],
};
