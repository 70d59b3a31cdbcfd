/** The score script behind `npm run mutation`: StrykerJS's own score, per goal folder. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FOLDER_GOALS, formatText, main, meetsGoals, mergeReports, MutationReport, scoreByFolder } from "../mutation/score";
import { CHECKER_DIR, checkerTsconfig, folderMutate, folderSlug, main as runMain, runTarget, strykerArgs } from "../mutation/run";
import { readRuns } from "../bench/mutation.bench";

import { captureConsole as capture } from "./support/console";

const mutants = (...statuses: string[]) => ({ mutants: statuses.map((status) => ({ status })) });


describe("mutation score (npm run mutation)", () => {
    const report: MutationReport = {
        files: {
            "components/a.ts": mutants("Killed", "Killed", "Timeout", "Survived", "CompileError"),
            "components/kubernetes/b.ts": mutants("Killed", "NoCoverage", "Ignored", "RuntimeError"),
            "policy-pack/rules/c.ts": mutants("Killed"),
            "policy-pack/cli.ts": mutants("Survived"),
        },
    };

    it("scores each folder as StrykerJS does: killed and timed out over killed, timed out, survived and not covered", () => {
        const [components, rules, analysis, plan, total] = scoreByFolder(report);
        assert.deepStrictEqual(
            { ...components },
            { folder: "components/", goal: 90, mutants: 9, killed: 3, timeout: 1, survived: 1, noCoverage: 1, errors: 2, ignored: 1, score: 66.7 },
        );
        assert.strictEqual(rules.score, 100);
        assert.strictEqual(analysis.score, undefined, "no mutant there: not measured, not 0 %");
        assert.strictEqual(plan.mutants, 0);
        assert.strictEqual(total.folder, "all files");
        assert.strictEqual(total.mutants, 11, "the total counts files outside the goal folders too");
        assert.strictEqual(total.score, 62.5);
    });

    it("holds the issue's goals: 90 % on components/ and policy-pack/rules/, 80 % elsewhere", () => {
        assert.deepStrictEqual(FOLDER_GOALS.map((g) => `${g.folder} ${g.goal}`), ["components/ 90", "policy-pack/rules/ 90", "policy-pack/analysis/ 80", "plan/ 80"]);
    });

    it("meets the goals only when every measured folder does", () => {
        assert.strictEqual(meetsGoals(scoreByFolder(report)), false, "components/ at 66.7 %");
        assert.strictEqual(meetsGoals(scoreByFolder({ files: { "components/a.ts": mutants("Killed", ...Array(9).fill("Killed"), "Survived") } })), true, "90.9 % on the only measured folder");
        assert.strictEqual(meetsGoals(scoreByFolder({ files: { "plan/a.ts": mutants(...Array(4).fill("Killed"), "Survived") } })), true, "80 % is the plan/ goal");
    });

    it("refuses a status it does not know, naming the file and the status", () => {
        assert.throws(() => scoreByFolder({ files: { "plan/x.ts": mutants("Zombie") } }), /plan\/x\.ts: unknown mutant status "Zombie"/);
    });

    it("prints one row per folder with the goal, met or not", () => {
        const text = formatText(scoreByFolder(report));
        assert.match(text, /^components\/\s+66\.7 %\s+90 % NOT met\s+9\s+3\s+1\s+1\s+1\s+2\s+1$/m);
        assert.match(text, /^policy-pack\/rules\/\s+100\.0 %\s+90 % met/m);
        assert.match(text, /^policy-pack\/analysis\/\s+not measured\s+80 %\s/m);
    });

    it("CLI: --help exits 0, an unknown flag 2, a missing report 1 naming it, --check 1 below a goal", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mutation-score-"));
        try {
            assert.strictEqual((await capture(() => main(["--help"]))).code, 0);
            const unknown = await capture(() => main(["--bogus"]));
            assert.strictEqual(unknown.code, 2);
            assert.match(unknown.err, /unknown option '--bogus'/);
            const missing = await capture(() => main(["--report", path.join(dir, "none.json")]));
            assert.strictEqual(missing.code, 1);
            assert.match(missing.err, /no report at .*none\.json: run `npm run mutation` first/);
            const file = path.join(dir, "mutation.json");
            fs.writeFileSync(file, JSON.stringify(report));
            assert.strictEqual((await capture(() => main(["--report", file]))).code, 0, "without --check the score is only printed");
            assert.strictEqual((await capture(() => main(["--report", file, "--check"]))).code, 1);
            const json = await capture(() => main(["--report", file, "--format", "json"]));
            assert.strictEqual((JSON.parse(json.out) as { meetsGoals: boolean }).meetsGoals, false);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("passes --mutate, the incremental file and --force on to stryker run", () => {
        assert.deepStrictEqual(strykerArgs({}), ["run"]);
        assert.deepStrictEqual(strykerArgs({ mutate: "components/**/*.ts", force: true }), ["run", "--mutate", "components/**/*.ts", "--force"]);
        assert.deepStrictEqual(strykerArgs({ mutate: "plan/**/*.ts", incrementalFile: "x.json" }), ["run", "--mutate", "plan/**/*.ts", "--incrementalFile", "x.json"]);
        assert.deepStrictEqual(strykerArgs({ "ignore-static": true }), ["run", "--ignoreStatic"]);
        // Stryker's config file is its positional argument (stryker-cli: `stryker run [configFile]`).
        assert.deepStrictEqual(strykerArgs({ configFile: "c.json", mutate: "plan/a.ts" }), ["run", "c.json", "--mutate", "plan/a.ts"]);
    });

    it("a --folder or --mutate run type-checks the mutated files and their imports only, with the project's compiler options", () => {
        const root = path.join(__dirname, "..");
        const ts = checkerTsconfig("plan/**/*.ts,!plan/main.ts,components/config/rules.ts:10-20");
        assert.strictEqual(path.resolve(root, CHECKER_DIR, ts.extends), path.join(root, "tsconfig.json"));
        assert.deepStrictEqual(
            ts.include.map((p) => path.relative(root, path.resolve(root, CHECKER_DIR, p))),
            ["plan/**/*.ts", "components/config/rules.ts"],
            "exclusions are not roots, and a line range is not part of a file name",
        );
        // TypeScript's include has no character classes (tsconfig reference, "include"): a class widens to `*`.
        assert.deepStrictEqual(checkerTsconfig("components/config/[iknpt]*.ts,plan/[a-c].ts,x/**/*.ts").include, ["../../components/config/*.ts", "../../plan/*.ts", "../../x/**/*.ts"]);

    });

    it("--folder mutates that folder only, keeping the config's exclusions under it, with its own file name", async () => {
        const configured = ["components/**/*.ts", "plan/**/*.ts", "!plan/update-docs.ts", "!plan/main.ts", "!components/x.ts"];
        assert.strictEqual(folderMutate("plan/", configured), "plan/**/*.ts,!plan/update-docs.ts,!plan/main.ts");
        assert.strictEqual(folderMutate("policy-pack/rules/", configured), "policy-pack/rules/**/*.ts");
        assert.strictEqual(folderSlug("policy-pack/rules/"), "policy-pack-rules");
        const bad = await capture(() => runMain(["--folder", "test/"]));
        assert.strictEqual(bad.code, 2);
        assert.match(bad.err, /--folder must be components\/ or .* not 'test\/'/);
        const both = await capture(() => runMain(["--folder", "plan/", "--mutate", "plan/a.ts"]));
        assert.strictEqual(both.code, 2);
        assert.match(both.err, /--folder and --mutate cannot be combined/);
    });

    it("each folder and each --mutate pattern keeps its own incremental file and report; only a full run replaces the others", () => {
        assert.deepStrictEqual(runTarget({ folder: "plan/" }), { name: "plan", replacesOthers: false });
        assert.deepStrictEqual(runTarget({}), { name: "all", replacesOthers: true });
        const a = runTarget({ mutate: "policy-pack/rules/0[1-3]-*.ts" });
        assert.match(a.name, /^mutate-[0-9a-f]{10}$/);
        assert.strictEqual(a.replacesOthers, false);
        assert.deepStrictEqual(runTarget({ mutate: "policy-pack/rules/0[1-3]-*.ts" }), a, "the same pattern, the same files");
        assert.notStrictEqual(runTarget({ mutate: "policy-pack/rules/1*.ts" }).name, a.name);
    });

    it("merges per-folder reports, the later report winning for a file both have", () => {
        const older: MutationReport = { files: { "plan/a.ts": mutants("Survived"), "components/b.ts": mutants("Killed") } };
        const newer: MutationReport = { files: { "plan/a.ts": mutants("Killed", "Killed") } };
        const merged = mergeReports([older, newer]);
        assert.deepStrictEqual(Object.keys(merged.files).sort(), ["components/b.ts", "plan/a.ts"]);
        assert.strictEqual(scoreByFolder(merged)[3].score, 100, "plan/ from the newer report");
        assert.strictEqual(scoreByFolder(mergeReports([newer, older]))[3].score, 0, "order decides");
    });

    it("the benchmark reads every recorded run, and none when nothing was recorded", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mutation-runs-"));
        try {
            const file = path.join(dir, "runs.jsonl");
            assert.deepStrictEqual(readRuns(file), []);
            const run = { date: "2026-12-02T08:00:00.000Z", args: ["run", "--ignoreStatic"], seconds: 1800, mutants: 10, scores: [{ folder: "plan/", score: 85 }] };
            fs.writeFileSync(file, `${JSON.stringify(run)}\n${JSON.stringify({ ...run, seconds: 60 })}\n`);
            assert.deepStrictEqual(readRuns(file).map((r) => r.seconds), [1800, 60]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
