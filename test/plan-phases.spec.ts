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
import { stackRun } from "./support/runs";

const dirs: string[] = [];

async function runPhase(name: string, stack: string): Promise<{ ctx: PlanContext; read: (f: string) => string; describe: string; report?: string }> {
    const phase = PHASES.find((p) => p.name === name);
    assert.ok(phase, `a phase named ${name}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `plan-phase-${stack}-`));
    dirs.push(dir);
    const ctx: PlanContext = { stack, stacksDir: STACKS_DIR, dir, run: await stackRun(stack), files: [], summary: {} };
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

    it("alerts: the alert path of the stack's monitoring mode", async () => {
        const { read, describe, report, ctx } = await runPhase("alerts", "prod");
        const text = read("alerts.md");
        assert.ok(text.startsWith("# Alert path: prod\n\n```text\n") && text.endsWith("\n```\n"), text);
        assert.strictEqual(report, ctx.summary.alertPath);
        assert.ok(text.includes(String(ctx.summary.alertPath)));
        assert.strictEqual(describe, `monitoring mode ${String(ctx.summary.monitoringMode)} -> alerts.md`);
    });
});
