/** The offline plan (`npm start`): what it writes, its JSON mode, and its behaviour on bad config. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { main } from "../plan/main";
import { STACKS_DIR, stackPlatformConfig } from "../plan/stack-config";
import { main as netpol } from "../policy-pack/analysis/cli";
import { generateStack } from "../bench/policy.bench";
import { reachability } from "../plan/reachability";
import { Captured, captureConsole } from "./support/console";
import { stackRun } from "./support/runs";

interface ReachabilityFile {
    probes: string[];
    endpoints: { id: string; kind: string; namespace?: string }[];
    managed: string[];
    reproduce: { files: string[]; args: string[]; command: string };
    warnings: string[];
    allowed: { from: string; to: string; probes: string[] }[];
    inconclusive: { from: string; to: string; probes: string[] }[];
    namespaces: Record<string, { endpoints: number; allowedIn: number; allowedOut: number }>;
}

/** The netpol CLI in-process; exit code and stdout. */
function runNetpol(argv: string[]): { code: number; out: string; err: string } {
    let out = "";
    let err = "";
    const code = netpol(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), readFile: (f) => fs.readFileSync(f, "utf8") });
    return { code, out, err };
}

function capture(argv: string[]): Promise<Captured> {
    return captureConsole(() => main(argv));
}

describe("offline plan (npm start)", () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-spec-"));
    after(() => fs.rmSync(outDir, { recursive: true, force: true }));
    let runs = 0;

    /**
     * Plans prod into a fresh folder and returns a function from a file's name to its path there. Each test that reads
     * the plan's files plans them itself (0.4 s), so that a test's coverage (and so the mutants
     * Stryker runs it against) includes the code that wrote what it reads.
     */
    async function planProd(): Promise<(file: string) => string> {
        const dir = path.join(outDir, `run-${runs++}`);
        const r = await capture(["--stack", "prod", "--out", dir, "--format", "json"]);
        assert.strictEqual(r.code, 0, r.err);
        return (file) => path.join(dir, "prod", file);
    }

    it("writes the whole plan for prod and reports it as one JSON document", async () => {
        const r = await capture(["--stack", "prod", "--out", outDir, "--format", "json"]);
        assert.strictEqual(r.code, 0, r.err);
        const report = JSON.parse(r.out) as { stack: string; files: string[]; summary: { resources: number; mandatoryViolations: number } };
        assert.strictEqual(report.stack, "prod");
        assert.strictEqual(report.summary.mandatoryViolations, 0);
        for (const f of ["resources.json", "tree.txt", "manifests.yaml", "helm/cert-manager.values.yaml", "helm/nginx-ingress.values.yaml", "flows.md", "endpoints.yaml", "reachability.md", "reachability.json", "policy-report.md", "policy-report.json"]) {
            assert.ok(report.files.includes(f), `missing ${f}`);
            assert.ok(fs.statSync(path.join(outDir, "prod", f)).size > 0, `${f} is empty`);
        }
        const plan = JSON.parse(fs.readFileSync(path.join(outDir, "prod", "resources.json"), "utf8")) as { resources: unknown[] };
        assert.strictEqual(plan.resources.length, report.summary.resources);
    });

    describe("reachability: the plan's matrix, compact and reproducible with netpol", () => {
        /** The plan's reachability.json, freshly planned, and its reproduce files as paths. */
        async function read(): Promise<ReachabilityFile & { paths: string[]; text: string }> {
            const file = await planProd();
            const text = fs.readFileSync(file("reachability.json"), "utf8");
            const r = JSON.parse(text) as ReachabilityFile;
            return { ...r, paths: r.reproduce.files.map(file), text };
        }

        it("netpol matrix on endpoints.yaml + manifests.yaml gives every cell the file records (allowed, inconclusive, and denied where not listed) for every pair with a managed side", async () => {
            const r = await read();
            const m = runNetpol(["matrix", ...r.paths, ...r.reproduce.args, ...r.probes.flatMap((p) => ["--probe", p]), "--format", "json"]);
            assert.strictEqual(m.code, 0, m.err);
            const matrix = (JSON.parse(m.out) as { matrix: Record<string, Record<string, Record<string, string>>> }).matrix;
            const listed = new Map<string, string>();
            for (const [status, cells] of [["allowed", r.allowed], ["inconclusive", r.inconclusive]] as const) for (const c of cells) for (const p of c.probes) listed.set(`${p} ${c.from} ${c.to}`, status);
            const managed = new Set(r.managed);
            assert.ok(managed.size >= 5, "the file names the managed endpoints");
            let cells = 0;
            for (const p of r.probes) {
                for (const from of r.endpoints) {
                    for (const to of r.endpoints) {
                        if (!managed.has(from.id) && !managed.has(to.id)) continue; // outside the platform's policies: not listed
                        cells++;
                        assert.strictEqual(matrix[p][from.id][to.id], listed.get(`${p} ${from.id} ${to.id}`) ?? "denied", `${p} ${from.id} -> ${to.id}`);
                    }
                }
            }
            assert.ok(cells > 1000 && r.allowed.length > 20, `${cells} cells, ${r.allowed.length} allowed pairs`);
        });

        it("netpol explain reproduces sampled cells with the right exit code (0 allowed, 1 denied)", async () => {
            const r = await read();
            const allowed = r.allowed.filter((_, i) => i % 7 === 0).map((c) => ({ from: c.from, to: c.to, probe: c.probes[0], code: 0 }));
            const open = new Set(r.allowed.flatMap((c) => c.probes.map((p) => `${p} ${c.from} ${c.to}`)));
            const managed = new Set(r.managed);
            const denied = r.endpoints.filter((_, i) => i % 3 === 0).flatMap((from, i) => {
                const to = r.endpoints[(i * 5 + 1) % r.endpoints.length];
                if (!managed.has(from.id) && !managed.has(to.id)) return [];
                const probe = r.probes[i % r.probes.length];
                return open.has(`${probe} ${from.id} ${to.id}`) ? [] : [{ from: from.id, to: to.id, probe, code: 1 }];
            });
            assert.ok(allowed.length >= 5 && denied.length >= 3, `${allowed.length} allowed, ${denied.length} denied samples`);
            for (const c of [...allowed, ...denied]) {
                const e = runNetpol(["explain", ...r.paths, ...r.reproduce.args, "--from", c.from, "--to", c.to, "--port", c.probe]);
                assert.strictEqual(e.code, c.code, `${c.from} -> ${c.to} ${c.probe}: ${e.out}${e.err}`);
            }
            assert.match(r.reproduce.command, /^npm run -s netpol -- explain out\/prod\/endpoints\.yaml out\/prod\/manifests\.yaml --dataplane cilium --external internet=/);
        });

        it("the webhook's serving port is open from the remote-node identity (and the API server, which arrives as it) and closed to everything else", async () => {
            const r = await read();
            const webhook = "cert-manager/cert-manager-webhook";
            const from = r.allowed.filter((c) => c.to === webhook && c.from !== webhook && c.probes.includes("10250/TCP")).map((c) => c.from).sort();
            assert.deepStrictEqual(from, ["kube-apiserver", "remote-node"]);
            assert.ok(r.endpoints.length > 10);
        });

        it("grows linearly with the apps: twice the app namespaces, about twice the file (not four times)", async () => {
            const prod = (await stackRun("prod")).resources;
            const config = stackPlatformConfig("prod");
            const size = (apps: number): { bytes: number; endpoints: number } => {
                const r = reachability(config, generateStack(apps, prod));
                return { bytes: JSON.stringify({ endpoints: r.endpoints, allowed: r.allowed, inconclusive: r.inconclusive, namespaces: r.namespaces }).length, endpoints: r.endpoints.length };
            };
            const small = size(60);
            const large = size(120);
            assert.ok(large.endpoints > 1.8 * small.endpoints - 20, `${small.endpoints} -> ${large.endpoints} endpoints`);
            assert.ok(large.bytes < 2.3 * small.bytes, `${small.bytes} -> ${large.bytes} bytes`);
        });

        it("is written compactly: open cells by pair, per-namespace summaries, no per-cell object", async () => {
            const r = await read();
            const text = r.text;
            assert.strictEqual((JSON.parse(text) as { matrix?: unknown }).matrix, undefined);
            assert.deepStrictEqual(Object.keys(r.namespaces).sort(), ["cert-manager", "kube-system", "monitoring", "nginx-ingress", "storefront"]);
            assert.ok(text.split("\n").length < 5, "one line");
        });
    });

    it("prints the resource counts by type and the rules that do not pass, as text", async () => {
        const r = await capture(["--stack", "dev", "--out", outDir]);
        assert.strictEqual(r.code, 0, r.err);
        const lines = r.out.split("\n");
        const at = lines.indexOf("Resources by type:");
        assert.ok(at > 0, r.out);
        const rows = lines.slice(at + 1, lines.indexOf("", at));
        assert.ok(rows.length > 5 && rows.every((l) => /^ {2}\S+ +\d+$/.test(l)), rows.join("\n"));
        assert.strictEqual(new Set(rows.map((l) => l.length)).size, 1, "counts right-aligned in one column");
        assert.ok(lines.some((l) => /^plan: resources +\d+ ms {2}\d+ resources -> resources\.json, tree\.txt$/.test(l)), r.out);
        assert.ok(lines.some((l) => /^plan: policies +\d+ ms {2}\d+\/\d+ rules pass, 0 mandatory violations -> policy-report\.md\/\.json$/.test(l)), r.out);
        assert.match(r.out, /\nWrote \d+ files to .*dev in \d+ ms\.\n?$/);
        assert.match(r.out, /\n(Policies: every rule passes\.|Policies not passing:\n( {2}[a-z0-9-]+: (fail|undecided)\n)+)/);
    });

    it("writes manifests as multi-document YAML with namespaces before what lives in them", async () => {
        const file = await planProd();
        const docs = parseAllDocuments(fs.readFileSync(file("manifests.yaml"), "utf8")).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string } });
        const firstUse = new Map<string, number>();
        docs.forEach((d, i) => { if (d.metadata.namespace && !firstUse.has(d.metadata.namespace)) firstUse.set(d.metadata.namespace, i); });
        for (const [ns, i] of firstUse) {
            const at = docs.findIndex((d) => d.kind === "Namespace" && d.metadata.name === ns);
            assert.ok(at >= 0 && at < i, `Namespace ${ns} must come before its first object`);
        }
    });

    it("never writes a secret to disk", async () => {
        const file = await planProd();
        const text = fs.readFileSync(file("resources.json"), "utf8");
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
