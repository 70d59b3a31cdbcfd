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
import { mandatoryViolations, runPolicies } from "../policy-pack/engine";
import { policies } from "../policy-pack/rules";
import { renderFlowsMarkdown, renderFlowsMermaid } from "../components/networking/docs";
import { REACHABILITY_INPUTS, reachability, renderEndpointsFile, renderReachabilityMermaid, renderReachabilityTable } from "./reachability";
import { stackPlatformConfig } from "./stack-config";
import { alertsPhase } from "./alerts";

export interface PlanContext {
    stack: string;
    /** Where the stack files are read from. */
    stacksDir: string;
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

interface RuleReport { policy: string; displayName: string; enforcementLevel: string; status: "pass" | "fail" | "undecided"; messages: string[] }

const policyPhase: PlanPhase = {
    name: "policies",
    async run(ctx) {
        const result = await runPolicies(ctx.run.resources);
        const rules: RuleReport[] = policies.map((p) => {
            const findings = result.findings.filter((f) => f.policy === p.name);
            const violations = findings.filter((f) => !f.undecided);
            return {
                policy: p.name,
                displayName: findings[0]?.displayName ?? p.name,
                enforcementLevel: violations[0]?.enforcementLevel ?? String(p.enforcementLevel),
                status: violations.length > 0 ? "fail" : findings.length > 0 ? "undecided" : "pass",
                messages: findings.map((f) => `${f.resourceName ? `${f.resourceType} ${f.resourceName}: ` : ""}${f.message}`),
            };
        });
        const mandatory = mandatoryViolations(result).length;
        ctx.summary.mandatoryViolations = mandatory;
        ctx.summary.policies = Object.fromEntries(rules.map((r) => [r.policy, r.status]));
        writeFile(ctx, "policy-report.json", JSON.stringify({ stack: ctx.stack, mandatoryViolations: mandatory, rules, findings: result.findings }, null, 2) + "\n");
        const lines = [
            `# Policy report: ${ctx.stack}`,
            "",
            `${rules.filter((r) => r.status === "pass").length} of ${rules.length} rules pass; ${mandatory} mandatory violation${mandatory === 1 ? "" : "s"}.`,
            "",
            "| rule | level | result | messages |",
            "| --- | --- | --- | --- |",
            ...rules.map((r) => `| ${r.policy} | ${r.enforcementLevel} | ${r.status} | ${r.messages.join("<br>").replace(/\|/g, "\\|") || ""} |`),
            "",
        ];
        writeFile(ctx, "policy-report.md", lines.join("\n"));
    },
    describe: (ctx) => {
        const statuses = Object.values(ctx.summary.policies as Record<string, string>);
        return `${statuses.filter((s) => s === "pass").length}/${statuses.length} rules pass, ${String(ctx.summary.mandatoryViolations)} mandatory violations -> policy-report.md/.json`;
    },
    report(ctx) {
        const failing = Object.entries(ctx.summary.policies as Record<string, string>).filter(([, s]) => s !== "pass");
        return failing.length === 0 ? "Policies: every rule passes." : ["Policies not passing:", ...failing.map(([p, s]) => `  ${p}: ${s}`)].join("\n");
    },
};

const networkPhase: PlanPhase = {
    name: "network",
    run(ctx) {
        const config = stackPlatformConfig(ctx.stack, ctx.stacksDir);
        writeFile(ctx, "flows.md", [
            `# Network flows: ${ctx.stack}`,
            "",
            "The flows the platform declares (components/networking/flows.ts); each is one NetworkPolicy or CiliumNetworkPolicy per managed side.",
            "",
            renderFlowsMarkdown(config),
            "```mermaid",
            renderFlowsMermaid(config).trimEnd(),
            "```",
            "",
        ].join("\n"));
        const r = reachability(config, ctx.run.resources);
        writeFile(ctx, "endpoints.yaml", renderEndpointsFile(config, ctx.stack, r.netpolArgs));
        const reproduce = `npm run -s netpol -- explain ${REACHABILITY_INPUTS.map((f) => `out/${ctx.stack}/${f}`).join(" ")} ${r.netpolArgs.join(" ")} --from FROM --to TO --port PORT/PROTOCOL`;
        writeFile(ctx, "reachability.json", JSON.stringify({
            stack: ctx.stack,
            dataplane: "cilium",
            format: "Every allowed (and inconclusive) cell of each pair with a managed endpoint on at least one side, an endpoint to itself included; such a cell not listed is denied. Pairs with no managed side are outside the platform's policies and not listed.",
            probes: r.probes.map((p) => `${p.port}/${p.protocol}`),
            endpoints: r.endpoints,
            managed: r.managed,
            reproduce: { files: [...REACHABILITY_INPUTS], args: r.netpolArgs, command: reproduce },
            warnings: r.warnings,
            namespaces: r.namespaces,
            allowed: r.allowed,
            inconclusive: r.inconclusive,
        }) + "\n");
        writeFile(ctx, "reachability.md", [
            `# Reachability: ${ctx.stack}`,
            "",
            "What the stack's NetworkPolicies and CiliumNetworkPolicies allow, evaluated by the policy pack's analyzer in Cilium mode",
            "(it reads the policies, not the flow list), over the platform's pods (endpoints.yaml), the stack's workloads and outside endpoints.",
            "On AKS the API server's calls into pods arrive with the remote-node identity; the `remote-node` endpoint stands for the other nodes.",
            "",
            renderReachabilityTable(r),
            "Reproduce any cell (the same input and model):",
            "",
            "```bash",
            reproduce,
            "```",
            "",
            "```mermaid",
            renderReachabilityMermaid(r).trimEnd(),
            "```",
            "",
        ].join("\n"));
        ctx.summary.reachability = { endpoints: r.endpoints.length, probes: r.probes.length, allowedPairs: r.allowed.length, inconclusivePairs: r.inconclusive.length };
    },
    describe: (ctx) => {
        const r = ctx.summary.reachability as { endpoints: number; allowedPairs: number };
        return `${r.endpoints} endpoints, ${r.allowedPairs} allowed pairs -> flows.md, endpoints.yaml, reachability.md/.json`;
    },
};

export const PHASES: PlanPhase[] = [resourcesPhase, manifestsPhase, helmPhase, networkPhase, policyPhase, alertsPhase];
