/**
 * The offline plan's phases, in order. Each writes files into out/<stack>/ and can add a short
 * report for the terminal. Add a phase here to extend the plan.
 */
import * as fs from "fs";
import * as path from "path";
import type { ProgramRun } from "./program";
import { stringify as toYaml } from "yaml";
import { countByType, renderTree } from "./tree";
import { applyOrder, HELM_RELEASE, isManifest, manifestOf } from "./manifests";

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

const YAML_OPTIONS = { lineWidth: 0 } as const;

const manifestsPhase: PlanPhase = {
    name: "manifests",
    run(ctx) {
        const objects = applyOrder(ctx.run.resources).filter(isManifest);
        const header = `# Every Kubernetes object stack ${ctx.stack} creates, in apply order (dependencies first).\n` +
            "# Helm releases are not expanded here: see helm/<release>.values.yaml.\n";
        writeFile(ctx, "manifests.yaml", header + objects.map((r) => `---\n# ${r.type} ${r.name}\n${toYaml(manifestOf(r), YAML_OPTIONS)}`).join(""));
        ctx.summary.manifests = objects.length;
    },
    describe: (ctx) => `${String(ctx.summary.manifests)} objects -> manifests.yaml`,
};

const helmPhase: PlanPhase = {
    name: "helm values",
    run(ctx) {
        const releases = ctx.run.resources.filter((r) => r.type === HELM_RELEASE);
        const names: string[] = [];
        for (const r of releases) {
            const p = r.props as { name?: string; chart?: string; version?: string; namespace?: string; repositoryOpts?: { repo?: string }; values?: unknown };
            const release = p.name ?? r.name;
            const repo = p.repositoryOpts?.repo;
            const chartRef = p.chart?.startsWith("oci://") || !repo ? p.chart : `${p.chart} --repo ${repo}`;
            const header = [
                `# Values of Helm release ${release} (${p.chart} ${p.version}) in namespace ${p.namespace}, exactly as pulumi up sends them.`,
                `# Render the real chart with them: helm template ${release} ${chartRef} --version ${p.version} --namespace ${p.namespace} -f ${release}.values.yaml`,
            ].join("\n");
            writeFile(ctx, `helm/${release}.values.yaml`, `${header}\n${toYaml(p.values ?? {}, YAML_OPTIONS)}`);
            names.push(`${release} ${p.chart}@${p.version}`);
        }
        ctx.summary.helmReleases = names;
    },
    describe: (ctx) => `${(ctx.summary.helmReleases as string[]).length} releases -> helm/*.values.yaml`,
};

export const PHASES: PlanPhase[] = [resourcesPhase, manifestsPhase, helmPhase];
