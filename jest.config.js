/**
 * Unit tests run anywhere; e2e tests need a Docker Engine and the pulumi tests the real Pulumi toolchain
 * too (both started or built by their global setups) unless E2E=skip.
 */
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
    {
      displayName: "pulumi",
      testEnvironment: "node",
      transform: tsJest,
      testMatch: ["<rootDir>/tests/pulumi/**/*.pulumi.test.ts"],
      globalSetup: "<rootDir>/tests/pulumi/support/global-setup.ts",
      globalTeardown: "<rootDir>/tests/pulumi/support/global-teardown.ts",
      testTimeout: 900000,
    },
  ],
};
