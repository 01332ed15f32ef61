// Runs before `npm install` / `npm ci`. npm on Node < 22 silently skips Hardhat's native
// EVM package (@nomicfoundation/edr-*), which later fails with a confusing error, so stop
// here with instructions instead. CommonJS so it runs on any Node version.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  console.error(
    [
      "",
      `Waybill needs Node.js >= 22.13 (Hardhat 3); this is Node ${process.versions.node}.`,
      "Either switch Node (`nvm use` reads .nvmrc), or run every npm command through",
      "the registry's Node 22, for example:",
      "",
      "  npx -y -p node@22 -- npm ci",
      "  npx -y -p node@22 -- npm test",
      "",
    ].join("\n"),
  );
  process.exit(1);
}
