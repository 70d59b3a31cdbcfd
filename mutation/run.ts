/**
 * `npm run mutation`: StrykerJS over the four folders (stryker.config.json: incremental, reports in
 * out/mutation/), then the score per folder (mutation/score.ts).
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { HELP_OPTION, parseCli } from "../policy-pack/cli-args";
import { main as printScores } from "./score";

const USAGE = `Usage: npm run mutation [-- --mutate PATTERN] [--force]

Runs StrykerJS as stryker.config.json says (incremental: only mutants whose code or tests changed
since the last run are tested again), then prints the score per folder.
  --mutate PATTERN  only these files, as Stryker's --mutate (a glob, or file:line-line); default the four folders
  --force           test every mutant again, ignoring the incremental file
  --help            this text`;

export function strykerArgs(values: { mutate?: string; force?: boolean }): string[] {
    return ["run", ...(values.mutate === undefined ? [] : ["--mutate", values.mutate]), ...(values.force ? ["--force"] : [])];
}

export function main(argv: readonly string[]): number {
    const cli = parseCli("mutation", argv, { usage: USAGE, options: { ...HELP_OPTION, mutate: { type: "string" }, force: { type: "boolean" } } });
    if (cli.stop) return cli.code;
    const stryker = path.join(__dirname, "..", "node_modules", ".bin", "stryker");
    const started = Date.now();
    const run = spawnSync(stryker, strykerArgs(cli.values), { stdio: "inherit", cwd: path.join(__dirname, "..") });
    console.log(`stryker: ${Math.round((Date.now() - started) / 1000)} s`);
    if (run.status !== 0) return run.status ?? 1;
    return printScores([]);
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
