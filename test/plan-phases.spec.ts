/**
 * Each phase of the offline plan on its own (plan/phases.ts), over the dev and prod programs: what it
 * writes and what it reports. Each test runs the phase it checks, so a mutation test sees the phase's
 * code covered by the test that judges its output.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { PHASES, PlanContext } from "../plan/phases";
import { STACKS_DIR } from "../plan/stack-config";
import { isManifest } from "../plan/manifests";
import { renderTree } from "../plan/tree";
import { certManager, nginxIngress } from "../components/facts";
import { policies } from "../policy-pack/rules";
import { ProgramRun } from "../plan/program";
import { reachability, renderReachabilityMermaid, renderReachabilityTable } from "../plan/reachability";
import { stackPlatformConfig } from "../plan/stack-config";
import { renderFlowsMarkdown, renderFlowsMermaid } from "../components/networking/docs";
import { k, UNKNOWN } from "./policy/helpers";
import { stackRun } from "./support/runs";

const dirs: string[] = [];

/** The stack's program run with hand-built resources added (a plan of a stack someone broke). */
async function withExtra(stack: string, ...extra: ProgramRun["resources"]): Promise<ProgramRun> {
    const run = await stackRun(stack);
    return { ...run, resources: [...run.resources, ...extra] };
}

async function runPhase(name: string, stack: string, given?: ProgramRun): Promise<{ ctx: PlanContext; read: (f: string) => string; describe: string; report?: string }> {
    const phase = PHASES.find((p) => p.name === name);
    assert.ok(phase, `a phase named ${name}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `plan-phase-${stack}-`));
    dirs.push(dir);
    const ctx: PlanContext = { stack, stacksDir: STACKS_DIR, dir, run: given ?? await stackRun(stack), files: [], summary: {} };
    await phase.run(ctx);
    for (const f of ctx.files) assert.ok(fs.existsSync(path.join(dir, f)), `${name} lists ${f} and wrote it`);
    return { ctx, read: (f) => fs.readFileSync(path.join(dir, f), "utf8"), describe: phase.describe(ctx), report: phase.report?.(ctx) };
}

describe("offline plan phases", () => {
    after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

    it("resources: the captured resources as JSON and as the preview's tree, counted by type", async () => {
        const { ctx, read, describe, report } = await runPhase("resources", "dev");
        const file = JSON.parse(read("resources.json")) as { project: string; stack: string; resources: unknown[] };
        assert.deepStrictEqual([file.project, file.stack, file.resources.length], ["aks-platform", "dev", ctx.run.resources.length]);
        assert.ok(read("resources.json").endsWith("}\n"));
        assert.strictEqual(read("tree.txt"), renderTree(ctx.run.resources));
        assert.strictEqual(describe, `${ctx.run.resources.length} resources -> resources.json, tree.txt`);
        assert.strictEqual(ctx.summary.resources, ctx.run.resources.length);
        assert.strictEqual(Object.values(ctx.summary.byType as Record<string, number>).reduce((a, b) => a + b, 0), ctx.run.resources.length);
        assert.match(report ?? "", /^Resources by type:\n {2}\S+ +\d+\n/);
    });

    it("manifests: every Kubernetes object, each headed by its type and logical name, in apply order", async () => {
        const { ctx, read, describe } = await runPhase("manifests", "dev");
        const text = read("manifests.yaml");
        const count = ctx.run.resources.filter(isManifest).length;
        assert.match(text, /^# Every Kubernetes object stack dev creates, in apply order \(dependencies first\)\.\n# Helm releases are not expanded here: see helm\/<release>\.values\.yaml\.\n---\n# kubernetes:/);
        assert.strictEqual(parseAllDocuments(text).length, count);
        assert.strictEqual((text.match(/^# kubernetes:\S+ \S+$/gm) ?? []).length, count);
        assert.ok(!/^kind: Release$/m.test(text), "no Helm release in the manifests");
        assert.strictEqual(describe, `${count} objects -> manifests.yaml`);
    });

    it("helm values: each release's values with the helm template command that renders the same chart", async () => {
        const { read, describe, ctx } = await runPhase("helm values", "prod");
        const cm = read(`helm/${certManager.releaseName}.values.yaml`).split("\n");
        assert.strictEqual(cm[0], `# Values of Helm release ${certManager.releaseName} (${certManager.chart} ${certManager.version}) in namespace ${certManager.namespace}, exactly as pulumi up sends them.`);
        // A chart from a repository needs --repo; an OCI chart is its own reference (helm.sh/docs/helm/helm_template).
        assert.strictEqual(cm[1], `# Render the real chart with them: helm template ${certManager.releaseName} ${certManager.chart} --repo ${certManager.repository} --version ${certManager.version} --namespace ${certManager.namespace} -f ${certManager.releaseName}.values.yaml`);
        const ngx = read(`helm/${nginxIngress.releaseName}.values.yaml`).split("\n");
        assert.strictEqual(ngx[1], `# Render the real chart with them: helm template ${nginxIngress.releaseName} ${nginxIngress.chart} --version ${nginxIngress.version} --namespace ${nginxIngress.namespace} -f ${nginxIngress.releaseName}.values.yaml`);
        const parsed = parseAllDocuments(cm.join("\n"))[0].toJS() as { crds?: { enabled?: boolean } };
        assert.strictEqual(parsed.crds?.enabled, true, "the values below the header are the release's YAML");
        assert.deepStrictEqual(ctx.summary.helmReleases, [`${certManager.releaseName} ${certManager.chart}@${certManager.version}`, `${nginxIngress.releaseName} ${nginxIngress.chart}@${nginxIngress.version}`]);
        assert.strictEqual(describe, "2 releases -> helm/*.values.yaml");
    });

    it("policies: every rule in the report, with the count that pass, and the ones that do not", async () => {
        const { read, describe, report, ctx } = await runPhase("policies", "prod");
        const json = JSON.parse(read("policy-report.json")) as { rules: { policy: string; status: string; messages: string[] }[]; mandatoryViolations: number };
        assert.deepStrictEqual(json.rules.map((r) => r.policy), policies.map((p) => p.name));
        const md = read("policy-report.md").split("\n");
        assert.strictEqual(md[0], "# Policy report: prod");
        const passing = json.rules.filter((r) => r.status === "pass").length;
        assert.strictEqual(md[2], `${passing} of ${policies.length} rules pass; 0 mandatory violations.`);
        assert.strictEqual(md.filter((l) => /^\| [a-z0-9-]+ \| (advisory|mandatory|remediate|disabled) \| (pass|fail|undecided) \|/.test(l)).length, policies.length);
        for (const r of json.rules) assert.strictEqual(r.status === "pass", r.messages.length === 0, `${r.policy}: a rule passes exactly when it has nothing to say`);
        assert.strictEqual(describe, `${passing}/${policies.length} rules pass, 0 mandatory violations -> policy-report.md/.json`);
        assert.strictEqual(ctx.summary.mandatoryViolations, 0);
        const failing = json.rules.filter((r) => r.status !== "pass");
        assert.strictEqual(report, failing.length === 0 ? "Policies: every rule passes." : ["Policies not passing:", ...failing.map((r) => `  ${r.policy}: ${r.status}`)].join("\n"));
    });

    it("policies, on a stack with a violation and an undecided case: each finding with its resource, the level of the violation, `|` escaped in the table", async () => {
        // Two namespaces without default deny (one name with a `|`, which a Markdown table cell must escape) and a Certificate whose issuer is unknown at preview.
        const odd = k.certificate("storefront", "odd", { secretName: "odd-tls", dnsNames: ["odd.example.org"], issuerRef: { name: UNKNOWN, kind: "ClusterIssuer" } }, "prod");
        const { read, describe, report, ctx } = await runPhase("policies", "prod", await withExtra("prod", k.namespace("rogue"), k.namespace("rogue|two"), odd));
        type RuleRow = { policy: string; enforcementLevel: string; status: string; messages: string[] };
        const json = JSON.parse(read("policy-report.json")) as { rules: RuleRow[]; mandatoryViolations: number };
        const rule = (name: string): RuleRow => {
            const found = json.rules.find((r) => r.policy === name);
            assert.ok(found, name);
            return found;
        };
        const deny = rule("namespace-default-deny");
        assert.deepStrictEqual([deny.status, deny.enforcementLevel, deny.messages.length], ["fail", "mandatory", 2]);
        assert.ok(deny.messages[0].startsWith("kubernetes:core/v1:Namespace ns-rogue: "), deny.messages[0]);
        assert.ok(deny.messages[1].startsWith("kubernetes:core/v1:Namespace ns-rogue|two: "), deny.messages[1]);
        const issuer = rule("cluster-issuer-only");
        assert.strictEqual(issuer.status, "undecided");
        assert.ok(issuer.messages.length === 1 && issuer.messages[0].startsWith("can't fully run cluster-issuer-only during preview"), "a finding about no one resource has no prefix");
        assert.strictEqual(json.mandatoryViolations, 2);
        const passing = json.rules.filter((r) => r.status === "pass").length;
        assert.ok(passing > 0 && passing < json.rules.length - 1, `${passing} pass`);

        const md = read("policy-report.md").split("\n");
        assert.strictEqual(md[2], `${passing} of ${policies.length} rules pass; 2 mandatory violations.`);
        assert.deepStrictEqual(md.slice(3, 6), ["", "| rule | level | result | messages |", "| --- | --- | --- | --- |"]);
        const row = md.find((l) => l.startsWith("| namespace-default-deny |"));
        assert.ok(row, md.join("\n"));
        const cells = row.split(/(?<!\\)\|/);
        assert.strictEqual(cells.length, 6, `one row of four cells, the message's \`|\` escaped: ${row}`);
        assert.deepStrictEqual(cells.slice(1, 4).map((c) => c.trim()), ["namespace-default-deny", "mandatory", "fail"]);
        assert.strictEqual(cells[4].trim().split("<br>").length, 2, "the two findings, one per line in the cell");
        assert.ok(cells[4].includes("ns-rogue\\|two: "), cells[4]);
        const passed = json.rules.find((r) => r.status === "pass");
        assert.ok(passed);
        assert.ok(md.includes(`| ${passed.policy} | ${passed.enforcementLevel} | pass |  |`), "a passing rule's messages cell is empty");

        assert.strictEqual(describe, `${passing}/${policies.length} rules pass, 2 mandatory violations -> policy-report.md/.json`);
        assert.strictEqual((ctx.summary.policies as Record<string, string>)["namespace-default-deny"], "fail");
        const lines = (report ?? "").split("\n");
        assert.strictEqual(lines[0], "Policies not passing:");
        assert.ok(lines.includes("  namespace-default-deny: fail") && lines.includes("  cluster-issuer-only: undecided"), report);
        assert.strictEqual(lines.length - 1, json.rules.length - passing, "one line per rule that does not pass");
    });

    it("policies: a single mandatory violation is counted in the singular", async () => {
        const { read } = await runPhase("policies", "prod", await withExtra("prod", k.namespace("rogue")));
        assert.match(read("policy-report.md").split("\n")[2], /^\d+ of \d+ rules pass; 1 mandatory violation\.$/);
    });

    it("helm values: an OCI chart is its own reference, and a chart with no repository needs no --repo", async () => {
        const oci = k.release("oci-app", { name: "oci-app", chart: "oci://registry.example.org/charts/app", version: "1.0.0", namespace: "apps", repositoryOpts: { repo: "https://unused.example.org" } }, "prod");
        const local = k.release("local-app", { name: "local-app", chart: "./charts/app", version: "0.1.0", namespace: "apps" }, "prod");
        const { read } = await runPhase("helm values", "prod", await withExtra("prod", oci, local));
        assert.strictEqual(read("helm/oci-app.values.yaml").split("\n")[1], "# Render the real chart with them: helm template oci-app oci://registry.example.org/charts/app --version 1.0.0 --namespace apps -f oci-app.values.yaml");
        assert.strictEqual(read("helm/local-app.values.yaml").split("\n")[1], "# Render the real chart with them: helm template local-app ./charts/app --version 0.1.0 --namespace apps -f local-app.values.yaml");
        assert.strictEqual(read("helm/local-app.values.yaml").split("\n")[2], "{}", "no values: an empty map");
    });

    it("network: flows.md and reachability.md around the flow list, the matrix and the netpol command, and the counts", async () => {
        const { read, describe, ctx } = await runPhase("network", "dev");
        const config = stackPlatformConfig("dev");
        const r = reachability(config, ctx.run.resources);
        const flows = read("flows.md");
        assert.ok(flows.startsWith("# Network flows: dev\n\nThe flows the platform declares (components/networking/flows.ts)"), flows.slice(0, 200));
        assert.ok(flows.includes(`\n\n${renderFlowsMarkdown(config)}\n\`\`\`mermaid\n`), "the flow list, then the diagram");
        assert.ok(flows.endsWith(`\`\`\`mermaid\n${renderFlowsMermaid(config).trim()}\n\`\`\`\n`), flows.slice(-200));

        const json = JSON.parse(read("reachability.json")) as { stack: string; dataplane: string; format: string; reproduce: { command: string } };
        assert.deepStrictEqual([json.stack, json.dataplane], ["dev", "cilium"]);
        assert.match(json.format, /such a cell not listed is denied/);
        const md = read("reachability.md");
        assert.ok(md.startsWith("# Reachability: dev\n\nWhat the stack's NetworkPolicies and CiliumNetworkPolicies allow"), md.slice(0, 200));
        assert.match(md, /\nOn AKS the API server's calls into pods arrive with the remote-node identity/);
        assert.ok(md.includes(`\n\n${renderReachabilityTable(r)}\nReproduce any cell (the same input and model):\n\n\`\`\`bash\n${json.reproduce.command}\n\`\`\`\n\n\`\`\`mermaid\n`), "table, command, diagram in that order");
        assert.ok(md.endsWith(`\`\`\`mermaid\n${renderReachabilityMermaid(r).trim()}\n\`\`\`\n`), md.slice(-200));
        assert.strictEqual(json.reproduce.command, `npm run -s netpol -- explain out/dev/endpoints.yaml out/dev/manifests.yaml ${r.netpolArgs.join(" ")} --from FROM --to TO --port PORT/PROTOCOL`);

        assert.deepStrictEqual(ctx.summary.reachability, { endpoints: r.endpoints.length, probes: r.probes.length, allowedPairs: r.allowed.length, inconclusivePairs: r.inconclusive.length });
        assert.strictEqual(describe, `${r.endpoints.length} endpoints, ${r.allowed.length} allowed pairs -> flows.md, endpoints.yaml, reachability.md/.json`);
        assert.deepStrictEqual(ctx.files, ["flows.md", "endpoints.yaml", "reachability.json", "reachability.md"]);
    });

    it("alerts: the alert path of the stack's monitoring mode", async () => {
        const { read, describe, report, ctx } = await runPhase("alerts", "prod");
        const text = read("alerts.md");
        assert.ok(text.startsWith("# Alert path: prod\n\n```text\n") && text.endsWith("\n```\n"), text);
        assert.strictEqual(report, ctx.summary.alertPath);
        assert.ok(text.includes(String(ctx.summary.alertPath)));
        assert.strictEqual(describe, `monitoring mode ${String(ctx.summary.monitoringMode)} -> alerts.md`);
    });
});
