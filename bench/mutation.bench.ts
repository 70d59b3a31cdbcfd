/**
 * Mutation testing run time (issue 18): a StrykerJS run takes from minutes to hours here, so the
 * benchmark does not start one; it reports the runs `npm run mutation` recorded in
 * out/mutation/runs.jsonl (when, what was mutated, seconds, mutants, scores), newest last. There is
 * no time goal: the figure is recorded so a slower suite shows.
 */
import * as fs from "fs";
import * as path from "path";
import { RUN_LOG, RunRecord } from "../mutation/run";
import type { BenchResult } from "./types";

export function readRuns(file: string): RunRecord[] {
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as RunRecord);
}

export function runMutationBench(): Promise<BenchResult[]> {
    const runs = readRuns(path.join(__dirname, "..", RUN_LOG));
    if (runs.length === 0) {
        return Promise.resolve([{ name: "mutation testing run time", ok: true, figures: { runs: 0 }, notes: [`no run recorded in ${RUN_LOG}: \`npm run mutation\` records one when it finishes`] }]);
    }
    return Promise.resolve(runs.slice(-5).map((r): BenchResult => ({
        name: `mutation run ${r.date} (${r.args.slice(1).join(" ") || "every folder"})`,
        ok: true,
        figures: {
            seconds: r.seconds,
            mutants: r.mutants,
            ...Object.fromEntries(r.scores.filter((s) => s.score !== undefined).map((s) => [`score ${s.folder}`, `${s.score} %`])),
        },
    })));
}
