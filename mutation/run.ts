/**
 * `npm run mutation`: StrykerJS over the four folders (stryker.config.json: incremental, reports in
 * out/mutation/), then the score per folder (mutation/score.ts).
 *
 * `--folder` runs one goal folder with its own incremental file, and keeps its JSON report under
 * out/mutation/folders/, so folders can be measured one at a time (a full run is hours on two cores)
 * and the score still covers every folder measured.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { HELP_OPTION, oneOf, parseCli, UsageError, usageFailure } from "../policy-pack/cli-args";
import { FOLDER_GOALS, FOLDER_REPORTS, main as printScores, MutationReport, REPORT, scoreByFolder } from "./score";

const ROOT = path.join(__dirname, "..");
/** One JSON line per finished run: when, what was mutated, how long, the scores (read by `npm run bench -- mutation`). */
export const RUN_LOG = path.join("out", "mutation", "runs.jsonl");

export interface RunRecord {
    date: string;
    args: string[];
    seconds: number;
    mutants: number;
    scores: { folder: string; score?: number }[];
}
const FOLDERS = FOLDER_GOALS.map((g) => g.folder);

const USAGE = `Usage: npm run mutation [-- --folder FOLDER] [--mutate PATTERN] [--force]

Runs StrykerJS as stryker.config.json says (incremental: only mutants whose code or tests changed
since the last run are tested again), then prints the score per folder.
  --folder FOLDER   only this goal folder (${FOLDERS.join(", ")}), with its own incremental file;
                    its report is kept in ${FOLDER_REPORTS}/ and scored with the other folders'
  --mutate PATTERN  only these files, as Stryker's --mutate (a glob, or file:line-line); default the four
                    folders. Each pattern has its own incremental file and kept report
  --force           test every mutant again, ignoring the incremental file
  --ignore-static   skip static mutants (code run when a module loads): each needs a fresh process
                    and the whole suite, about 35 s apiece here; they are reported as Ignored
  --help            this text`;

/** File name for a folder's report and incremental file: "policy-pack/rules/" -> "policy-pack-rules". */
export function folderSlug(folder: string): string {
    return folder.replace(/\/$/, "").replace(/\//g, "-");
}

/**
 * Where a run keeps its incremental file and its report: a folder's slug, `mutate-<hash of the
 * pattern>` for a --mutate run (so runs of different file sets do not overwrite each other's
 * incremental results), or `all` for a full run, which replaces every kept report.
 */
export function runTarget(values: { folder?: string; mutate?: string }): { name: string; replacesOthers: boolean } {
    if (values.folder !== undefined) return { name: folderSlug(values.folder), replacesOthers: false };
    if (values.mutate !== undefined) return { name: `mutate-${createHash("sha1").update(values.mutate).digest("hex").slice(0, 10)}`, replacesOthers: false };
    return { name: "all", replacesOthers: true };
}

/** Stryker's --mutate for a goal folder: its TypeScript files, minus the config's exclusions under it. */
export function folderMutate(folder: string, configured: readonly string[]): string {
    const exclusions = configured.filter((p) => p.startsWith(`!${folder}`));
    return [`${folder}**/*.ts`, ...exclusions].join(",");
}

/** Where a --folder or --mutate run keeps its generated checker tsconfig and Stryker config (not in out/: Stryker leaves out/ out of its sandbox). */
export const CHECKER_DIR = path.join("mutation", "checker");

/**
 * The TypeScript checker's project for a --folder or --mutate run: the mutated files as roots, so the
 * program is those files and what they import, not the whole repository. Stryker starts one checker
 * process on two cores and it checks every mutant before a test runs it; over the whole project
 * (the @pulumi/azure-native typings alone are large) it was the bottleneck, about 2.8 s a mutant on
 * policy-pack/analysis/ with the test runner idle. The cost: a mutant that breaks only a consumer's
 * types is not a compile error here; it is tested like any other (killed or reported as survived).
 */
export function checkerTsconfig(mutate: string): { extends: string; include: string[] } {
    // TypeScript's include knows `*`, `?` and `**/` only: a character class widens to `*`.
    const include = mutate.split(",").filter((p) => !p.startsWith("!"))
        .map((p) => `../../${p.replace(/:\d+(-\d+)?$/, "").replace(/\[[^\]]*\]/g, "*").replace(/\*{2,}(?!\/)/g, "*")}`);
    return { extends: "../../tsconfig.json", include };
}

export function strykerArgs(values: { mutate?: string; force?: boolean; incrementalFile?: string; "ignore-static"?: boolean; configFile?: string }): string[] {
    return [
        "run",
        ...(values.configFile === undefined ? [] : [values.configFile]),
        ...(values["ignore-static"] ? ["--ignoreStatic"] : []),
        ...(values.mutate === undefined ? [] : ["--mutate", values.mutate]),
        ...(values.incrementalFile === undefined ? [] : ["--incrementalFile", values.incrementalFile]),
        ...(values.force ? ["--force"] : []),
    ];
}

export function main(argv: readonly string[]): number {
    const cli = parseCli("mutation", argv, {
        usage: USAGE,
        options: { ...HELP_OPTION, folder: { type: "string" }, mutate: { type: "string" }, force: { type: "boolean" }, "ignore-static": { type: "boolean" } },
    });
    if (cli.stop) return cli.code;
    let folder: string | undefined;
    try {
        folder = cli.values.folder === undefined ? undefined : oneOf("folder", cli.values.folder, FOLDERS, FOLDERS[0]);
        if (folder !== undefined && cli.values.mutate !== undefined) throw new UsageError("--folder and --mutate cannot be combined: --folder already sets which files are mutated");
    } catch (e) {
        if (e instanceof UsageError) return usageFailure("mutation", USAGE, e).code;
        throw e;
    }
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, "stryker.config.json"), "utf8")) as { mutate: string[] };
    const target = runTarget({ folder, mutate: cli.values.mutate });
    const incrementalFile = target.replacesOthers ? undefined : path.join("out", "mutation", "incremental", `${target.name}.json`);
    const mutate = folder === undefined ? cli.values.mutate : folderMutate(folder, config.mutate);
    let configFile: string | undefined;
    if (mutate !== undefined) {
        fs.mkdirSync(path.join(ROOT, CHECKER_DIR), { recursive: true });
        const tsconfig = path.join(CHECKER_DIR, `tsconfig.${target.name}.json`);
        fs.writeFileSync(path.join(ROOT, tsconfig), JSON.stringify(checkerTsconfig(mutate), null, 2) + "\n");
        configFile = path.join(CHECKER_DIR, `stryker.${target.name}.json`);
        fs.writeFileSync(path.join(ROOT, configFile), JSON.stringify({ ...config, $schema: undefined, tsconfigFile: tsconfig }, null, 2) + "\n");
    }
    const args = strykerArgs({ ...cli.values, mutate, incrementalFile, configFile });
    const started = Date.now();
    const run = spawnSync(path.join(ROOT, "node_modules", ".bin", "stryker"), args, { stdio: "inherit", cwd: ROOT });
    console.log(`stryker: ${Math.round((Date.now() - started) / 1000)} s`);
    if (run.status !== 0) return run.status ?? 1;
    // Keep this run's report under its target's name; a full run replaces every kept report.
    const kept = path.join(ROOT, FOLDER_REPORTS);
    if (target.replacesOthers) fs.rmSync(kept, { recursive: true, force: true });
    fs.mkdirSync(kept, { recursive: true });
    fs.copyFileSync(path.join(ROOT, REPORT), path.join(kept, `${target.name}.json`));
    const scores = scoreByFolder(JSON.parse(fs.readFileSync(path.join(ROOT, REPORT), "utf8")) as MutationReport);
    const record: RunRecord = {
        date: new Date(started).toISOString(),
        args,
        seconds: Math.round((Date.now() - started) / 1000),
        mutants: scores[scores.length - 1].mutants,
        scores: scores.map((s) => ({ folder: s.folder, score: s.score })),
    };
    fs.appendFileSync(path.join(ROOT, RUN_LOG), JSON.stringify(record) + "\n");
    return printScores([]);
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
