/** The offline plan (`npm start`): what it writes, its JSON mode, and its behaviour on bad config. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { main } from "../plan/main";
import { STACKS_DIR } from "../plan/stack-config";

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const log = console.log;
    const error = console.error;
    let out = "";
    let err = "";
    console.log = (...a: unknown[]) => { out += `${a.join(" ")}\n`; };
    console.error = (...a: unknown[]) => { err += `${a.join(" ")}\n`; };
    try {
        const code = await main(argv);
        return { code, out, err };
    } finally {
        console.log = log;
        console.error = error;
    }
}

describe("offline plan (npm start)", () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-spec-"));
    after(() => fs.rmSync(outDir, { recursive: true, force: true }));

    it("writes the whole plan for prod and reports it as one JSON document", async () => {
        const r = await capture(["--stack", "prod", "--out", outDir, "--format", "json"]);
        assert.strictEqual(r.code, 0, r.err);
        const report = JSON.parse(r.out) as { stack: string; files: string[]; summary: { resources: number; mandatoryViolations: number } };
        assert.strictEqual(report.stack, "prod");
        assert.strictEqual(report.summary.mandatoryViolations, 0);
        for (const f of ["resources.json", "tree.txt", "manifests.yaml", "helm/cert-manager.values.yaml", "helm/nginx-ingress.values.yaml", "flows.md", "reachability.md", "reachability.json", "policy-report.md", "policy-report.json"]) {
            assert.ok(report.files.includes(f), `missing ${f}`);
            assert.ok(fs.statSync(path.join(outDir, "prod", f)).size > 0, `${f} is empty`);
        }
        const plan = JSON.parse(fs.readFileSync(path.join(outDir, "prod", "resources.json"), "utf8")) as { resources: unknown[] };
        assert.strictEqual(plan.resources.length, report.summary.resources);
    });

    it("writes manifests as multi-document YAML with namespaces before what lives in them", () => {
        const docs = parseAllDocuments(fs.readFileSync(path.join(outDir, "prod", "manifests.yaml"), "utf8")).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string } });
        const firstUse = new Map<string, number>();
        docs.forEach((d, i) => { if (d.metadata.namespace && !firstUse.has(d.metadata.namespace)) firstUse.set(d.metadata.namespace, i); });
        for (const [ns, i] of firstUse) {
            const at = docs.findIndex((d) => d.kind === "Namespace" && d.metadata.name === ns);
            assert.ok(at >= 0 && at < i, `Namespace ${ns} must come before its first object`);
        }
    });

    it("never writes a secret to disk", () => {
        const text = fs.readFileSync(path.join(outDir, "prod", "resources.json"), "utf8");
        assert.ok(!text.includes("certificate-authority-data") && !text.includes("kubelogin"), "kubeconfig leaked into resources.json");
        assert.ok(text.includes("\"[secret]\""));
    });

    it("ends with a clear config error and exit 1 on a bad stack, writing nothing", async () => {
        const stacks = fs.mkdtempSync(path.join(os.tmpdir(), "plan-stacks-"));
        const good = fs.readFileSync(path.join(STACKS_DIR, "Pulumi.dev.yaml"), "utf8");
        fs.writeFileSync(path.join(stacks, "Pulumi.broken.yaml"), good.replace(/aks-platform:dnsZoneName: .*/, "aks-platform:dnsZoneName: not a zone"));
        const r = await capture(["--stack", "broken", "--stacks-dir", stacks, "--out", outDir]);
        assert.strictEqual(r.code, 1);
        assert.match(r.err, /invalid configuration; nothing was planned/);
        assert.match(r.err, /aks-platform:dnsZoneName = "not a zone": must be a lowercase fully qualified domain name/);
        assert.ok(!/\n\s+at /.test(r.err), "no stack trace");
        assert.ok(!fs.existsSync(path.join(outDir, "broken")));
        fs.rmSync(stacks, { recursive: true, force: true });
    });

    it("rejects unknown arguments and stacks with a usage line", async () => {
        const bad = await capture(["--frobnicate"]);
        assert.strictEqual(bad.code, 2);
        assert.match(bad.err, /usage: npm start/);
        const missing = await capture(["--stack", "nope", "--out", outDir]);
        assert.strictEqual(missing.code, 1);
        assert.match(missing.err, /no stack file .*Pulumi\.nope\.yaml; stacks: dev, prod, staging/);
    });
});
