/**
 * The offline plan's phases, in order. Each writes files into out/<stack>/ and can add a short
 * report for the terminal. Add a phase here to extend the plan.
 */
import * as fs from "fs";
import * as path from "path";
import type { ProgramRun } from "./program";
import { countByType, renderTree } from "./tree";

export interface PlanContext {
    stack: string;
    dir: string;
    run: ProgramRun;
    /** Files written, relative to dir. */
    files: string[];
    /** Machine-readable summary (the --format json output). */
    summary: Record<string, unknown> & { mandatoryViolations?: number };
}

export interface PlanPhase {
    name: string;
    run(ctx: PlanContext): void | Promise<void>;
    describe(ctx: PlanContext): string;
    report?(ctx: PlanContext): string | undefined;
}

export function writeFile(ctx: PlanContext, rel: string, content: string): void {
    const file = path.join(ctx.dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    ctx.files.push(rel);
}

const resourcesPhase: PlanPhase = {
    name: "resources",
    run(ctx) {
        writeFile(ctx, "resources.json", JSON.stringify({ project: "aks-platform", stack: ctx.stack, resources: ctx.run.resources }, null, 2) + "\n");
        writeFile(ctx, "tree.txt", renderTree(ctx.run.resources));
        ctx.summary.resources = ctx.run.resources.length;
        ctx.summary.byType = Object.fromEntries(countByType(ctx.run.resources));
    },
    describe: (ctx) => `${ctx.run.resources.length} resources -> resources.json, tree.txt`,
    report(ctx) {
        const rows = countByType(ctx.run.resources);
        const width = Math.max(...rows.map(([t]) => t.length));
        return ["Resources by type:", ...rows.map(([t, n]) => `  ${t.padEnd(width)}  ${String(n).padStart(3)}`)].join("\n");
    },
};

export const PHASES: PlanPhase[] = [resourcesPhase];
