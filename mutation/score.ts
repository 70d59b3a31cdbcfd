/**
 * The mutation score per folder, read from StrykerJS's JSON report (out/mutation/mutation.json,
 * written by `npm run mutation`), with the goals of issue 18: 90 % on components/ and
 * policy-pack/rules/, 80 % on policy-pack/analysis/ and plan/.
 *
 * The score is StrykerJS's own (stryker-js docs, "Mutant states and metrics"): detected (killed or
 * timed out) over valid mutants (detected, survived, no coverage); compile and runtime errors and
 * ignored mutants do not count. Statuses are those of the mutation-testing-report-schema.
 */
import * as fs from "fs";
import * as path from "path";
import { HELP_OPTION, oneOf, parseCli, TEXT_OR_JSON, UsageError, usageFailure } from "../policy-pack/cli-args";

export const REPORT = path.join("out", "mutation", "mutation.json");
/** Where `npm run mutation` keeps each run's report, one per folder measured (or all.json for a full run). */
export const FOLDER_REPORTS = path.join("out", "mutation", "folders");

/** The folders the issue sets goals for, in the order they are printed. */
export const FOLDER_GOALS: readonly { folder: string; goal: number }[] = [
    { folder: "components/", goal: 90 },
    { folder: "policy-pack/rules/", goal: 90 },
    { folder: "policy-pack/analysis/", goal: 80 },
    { folder: "plan/", goal: 80 },
];

export type MutantStatus = "Killed" | "Survived" | "NoCoverage" | "Timeout" | "CompileError" | "RuntimeError" | "Ignored" | "Pending";
const STATUSES: readonly MutantStatus[] = ["Killed", "Survived", "NoCoverage", "Timeout", "CompileError", "RuntimeError", "Ignored", "Pending"];

/** The part of the report this reads: each file's mutants and their status. */
export interface MutationReport {
    files: Record<string, { mutants: { status: string }[] }>;
}

export interface FolderScore {
    folder: string;
    /** Undefined for the total. */
    goal?: number;
    mutants: number;
    killed: number;
    timeout: number;
    survived: number;
    noCoverage: number;
    /** Compile and runtime errors: not valid mutants, not in the score. */
    errors: number;
    ignored: number;
    /** Percent, one decimal; undefined when the folder has no valid mutant in the report. */
    score?: number;
}

function isStatus(s: string): s is MutantStatus {
    return (STATUSES as readonly string[]).includes(s);
}

function tally(folder: string, statuses: readonly MutantStatus[], goal?: number): FolderScore {
    const count = (...of: MutantStatus[]) => statuses.filter((s) => of.includes(s)).length;
    const killed = count("Killed");
    const timeout = count("Timeout");
    const survived = count("Survived");
    const noCoverage = count("NoCoverage");
    const valid = killed + timeout + survived + noCoverage;
    return {
        folder, goal, mutants: statuses.length, killed, timeout, survived, noCoverage,
        errors: count("CompileError", "RuntimeError"),
        ignored: count("Ignored"),
        score: valid === 0 ? undefined : Math.round((1000 * (killed + timeout)) / valid) / 10,
    };
}

/** Scores per goal folder, then the total over every file in the report. Throws on a status it does not know. */
export function scoreByFolder(report: MutationReport): FolderScore[] {
    const all: MutantStatus[] = [];
    const byFolder = new Map<string, MutantStatus[]>(FOLDER_GOALS.map((g) => [g.folder, []]));
    for (const [file, { mutants }] of Object.entries(report.files)) {
        const rel = file.split(path.sep).join("/");
        const folder = FOLDER_GOALS.find((g) => rel.startsWith(g.folder))?.folder;
        for (const { status } of mutants) {
            if (!isStatus(status)) throw new Error(`${file}: unknown mutant status "${status}" (known: ${STATUSES.join(", ")})`);
            all.push(status);
            if (folder !== undefined) byFolder.get(folder)?.push(status);
        }
    }
    return [...FOLDER_GOALS.map((g) => tally(g.folder, byFolder.get(g.folder) ?? [], g.goal)), tally("all files", all)];
}

/** True when every folder that was measured meets its goal. */
export function meetsGoals(scores: readonly FolderScore[]): boolean {
    return scores.every((s) => s.goal === undefined || s.score === undefined || s.score >= s.goal);
}

export function formatText(scores: readonly FolderScore[]): string {
    const rows = scores.map((s) => [
        s.folder,
        s.score === undefined ? "not measured" : `${s.score.toFixed(1)} %`,
        s.goal === undefined ? "" : `${s.goal} %${s.score === undefined ? "" : s.score >= s.goal ? " met" : " NOT met"}`,
        String(s.mutants), String(s.killed), String(s.timeout), String(s.survived), String(s.noCoverage), String(s.errors), String(s.ignored),
    ]);
    const header = ["folder", "score", "goal", "mutants", "killed", "timeout", "survived", "no cov", "errors", "ignored"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
    return [line(header), ...rows.map(line)].join("\n");
}

/**
 * Several reports as one: every file's mutants from the newest report that has the file (reports
 * are given oldest first), so a folder measured again replaces its earlier figures.
 */
export function mergeReports(reports: readonly MutationReport[]): MutationReport {
    const files: MutationReport["files"] = {};
    for (const report of reports) Object.assign(files, report.files);
    return { files };
}

/** The reports to score when none is named: the kept per-folder reports, oldest first, else the last run's. */
export function defaultReports(): string[] {
    const kept = fs.existsSync(FOLDER_REPORTS) ? fs.readdirSync(FOLDER_REPORTS).filter((f) => f.endsWith(".json")).map((f) => path.join(FOLDER_REPORTS, f)) : [];
    if (kept.length === 0) return [REPORT];
    return kept.sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs);
}

const USAGE = `Usage: node -r tsx/cjs mutation/score.ts [--report FILE]... [--format text|json] [--check]

Prints the mutation score per folder (components/, policy-pack/rules/, policy-pack/analysis/, plan/)
and for all files, from StrykerJS's JSON reports, with the goals of each folder.
  --report FILE   a report; repeat it to merge several, later ones winning for a file they share
                  (default: the reports kept in ${FOLDER_REPORTS}/, else ${REPORT})
  --format        text (default) or json
  --check         exit 1 when a measured folder is below its goal
  --help          this text`;

export function main(argv: readonly string[]): number {
    const cli = parseCli("mutation-score", argv, {
        usage: USAGE,
        options: { ...HELP_OPTION, report: { type: "string", multiple: true }, format: { type: "string" }, check: { type: "boolean" } },
    });
    if (cli.stop) return cli.code;
    let format: (typeof TEXT_OR_JSON)[number];
    try {
        format = oneOf("format", cli.values.format, TEXT_OR_JSON, "text");
    } catch (e) {
        if (e instanceof UsageError) return usageFailure("mutation-score", USAGE, e).code;
        throw e;
    }
    const files = cli.values.report ?? defaultReports();
    const missing = files.find((f) => !fs.existsSync(f));
    if (missing !== undefined) {
        console.error(`mutation-score: no report at ${missing}: run \`npm run mutation\` first (it writes ${REPORT})`);
        return 1;
    }
    const scores = scoreByFolder(mergeReports(files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as MutationReport)));
    console.log(format === "json" ? JSON.stringify({ reports: files, scores, meetsGoals: meetsGoals(scores) }, null, 2) : formatText(scores));
    return cli.values.check && !meetsGoals(scores) ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
