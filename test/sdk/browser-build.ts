import { readFile, readdir } from "node:fs/promises";
import { builtinModules } from "node:module";
import path from "node:path";

import { expect } from "chai";
import { type Plugin, build } from "esbuild";

import { projectRoot } from "../e2e/harness.js";

const entry = path.join(projectRoot, "sdk", "src", "index.ts");
const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** Fails the build on any import of a Node built-in or of Hardhat, naming the importer. */
const forbidNodeImports: Plugin = {
  name: "forbid-node-imports",
  setup(setup) {
    setup.onResolve({ filter: /.*/ }, (args) => {
      const bare = args.path
        .split("/")
        .slice(0, args.path.startsWith("@") ? 2 : 1)
        .join("/");
      if (
        NODE_BUILTINS.has(args.path) ||
        NODE_BUILTINS.has(bare) ||
        args.path.startsWith("node:")
      ) {
        return { errors: [{ text: `Node built-in "${args.path}" imported by ${args.importer}` }] };
      }
      if (bare === "hardhat" || bare.startsWith("@nomicfoundation/")) {
        return {
          errors: [{ text: `Hardhat package "${args.path}" imported by ${args.importer}` }],
        };
      }
      return undefined;
    });
  },
};

async function bundle(external: string[]) {
  return build({
    entryPoints: [entry],
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    logLevel: "silent",
    external,
    plugins: [forbidNodeImports],
  });
}

describe("sdk: runs unchanged in a browser", function () {
  this.timeout(60_000);

  it("bundles for the browser with its dependencies, importing no Node built-in and no Hardhat", async function () {
    const result = await bundle([]);
    expect(result.errors).to.deep.equal([]);
    expect(result.outputFiles[0].text.length).to.be.greaterThan(0);
  });

  it("uses no Node global (Buffer, process, require, __dirname) in its own code", async function () {
    // ethers stays external here: it carries its own browser builds, and only the SDK's code is judged.
    const { outputFiles } = await bundle(["ethers"]);
    const code = outputFiles[0].text;
    for (const global of ["Buffer", "process", "require", "__dirname", "__filename", "global"]) {
      expect(code, `the SDK bundle uses ${global}`).not.to.match(new RegExp(`\\b${global}\\b`));
    }
  });

  it("fails the build when a module imports a Node built-in (the check can fail)", async function () {
    const failing = await build({
      stdin: {
        contents: 'import { readFile } from "node:fs/promises"; export { readFile };',
        resolveDir: projectRoot,
      },
      bundle: true,
      platform: "browser",
      write: false,
      logLevel: "silent",
      plugins: [forbidNodeImports],
    }).catch((error: { errors: { text: string }[] }) => error);
    expect("errors" in failing ? failing.errors.map((e) => e.text).join() : "").to.match(
      /Node built-in "node:fs\/promises"/,
    );
  });

  it("imports nothing upward: neither sdk/ nor scripts/ reach into tasks/", async function () {
    for (const folder of ["sdk", "scripts"]) {
      const files = (await readdir(path.join(projectRoot, folder), { recursive: true })).filter(
        (file) => file.endsWith(".ts"),
      );
      expect(files.length, folder).to.be.greaterThan(0);
      for (const file of files) {
        const source = await readFile(path.join(projectRoot, folder, file), "utf8");
        expect(source, `${folder}/${file}`).not.to.match(/from "[./]*\/?tasks\//);
      }
    }
  });
});
