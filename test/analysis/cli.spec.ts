/** The netpol CLI, run in-process on fixture files (and once as a child process). */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as os from "os";
import { stringify as stringifyYaml } from "yaml";
import { main } from "../../policy-pack/analysis/cli";
import { stackRun } from "../support/runs";
import { stackPlatformConfig } from "../../plan/stack-config";
import { platformPods, podObjects } from "../../plan/workloads";
import { isManifest, manifestOf } from "../../plan/manifests";

const FIX = path.join(__dirname, "fixtures");
const f = (name: string): string => path.join(FIX, name);

function run(argv: string[]): { code: number; out: string; err: string } {
    let out = "";
    let err = "";
    const code = main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), readFile: (p) => fs.readFileSync(p, "utf8") });
    return { code, out, err };
}

describe("analysis: netpol CLI", () => {
    it("matrix --format json: the hand-written expectations", () => {
        const r = run(["matrix", f("cluster.yaml"), f("policies.json"), "--probe", "5432/TCP", "--probe", "8080/TCP", "--external", "internet=93.184.216.34", "--external", "corp=10.20.0.0/16"]);
        assert.strictEqual(r.code, 0, r.err);
        const m = JSON.parse(r.out) as Record<string, Record<string, Record<string, boolean>>>;
        assert.deepStrictEqual(Object.keys(m), ["5432/TCP", "8080/TCP"]);
        assert.deepStrictEqual(Object.keys(m["5432/TCP"]), ["shop/web", "shop/db", "other/client", "internet", "corp"]);
        // web may reach db on pg (5432), db accepts web on 5432; nothing else reaches db.
        assert.strictEqual(m["5432/TCP"]["shop/web"]["shop/db"], true);
        assert.strictEqual(m["5432/TCP"]["other/client"]["shop/db"], false);
        assert.strictEqual(m["5432/TCP"]["shop/db"]["shop/web"], false);
        // web is public on its named port http (8080) from outside 10/8 only; the client has no pod IP.
        assert.strictEqual(m["8080/TCP"]["internet"]["shop/web"], true);
        assert.strictEqual(m["8080/TCP"]["corp"]["shop/web"], false);
        assert.strictEqual(m["8080/TCP"]["other/client"]["shop/web"], false);
        assert.strictEqual(m["5432/TCP"]["internet"]["shop/web"], false);
        // default deny egress in shop: web cannot reach the internet.
        assert.strictEqual(m["8080/TCP"]["shop/web"]["internet"], false);
        assert.strictEqual(m["8080/TCP"]["other/client"]["internet"], true);
    });

    it("matrix --format table with --from/--to filters", () => {
        const r = run(["matrix", f("cluster.yaml"), f("policies.json"), "--probe=5432/TCP", "--format", "table", "--from", "shop/web", "--to", "shop/db", "--to", "shop/web"]);
        assert.strictEqual(r.code, 0, r.err);
        assert.match(r.out, /5432\/TCP: X = allowed/);
        assert.match(r.out, /shop\/web\s+X X/);
        assert.match(r.out, /1 shop\/db/);
    });

    it("explain: allowed (exit 0) with the allowing rules", () => {
        const r = run(["explain", f("cluster.yaml"), f("policies.json"), "--from", "shop/web", "--to", "shop/db", "--port", "5432/TCP"]);
        assert.strictEqual(r.code, 0, r.err);
        assert.match(r.out, /^ALLOWED: shop\/web -> shop\/db on 5432\/TCP/);
        assert.match(r.out, /NetworkPolicy shop\/web-to-db egress\[0\] allows it/);
        assert.match(r.out, /NetworkPolicy shop\/db-from-web ingress\[0\] allows it/);
    });

    it("explain: denied (exit 1), says which policies isolate", () => {
        const r = run(["explain", f("cluster.yaml"), f("policies.json"), "--from", "other/client", "--to", "shop/web", "--port", "8080/TCP", "--format", "json"]);
        assert.strictEqual(r.code, 1, r.err);
        const v = JSON.parse(r.out) as { allowed: boolean; ingress: { isolatedBy: string[] }; explanation: string[] };
        assert.strictEqual(v.allowed, false);
        assert.deepStrictEqual(v.ingress.isolatedBy, ["NetworkPolicy shop/default-deny", "NetworkPolicy shop/web-public"]);
        assert.ok(v.explanation.some((l) => /no known pod IP/.test(l)));
    });

    it("--dataplane cilium reads CiliumNetworkPolicies and adds the API server", () => {
        const r = run(["explain", f("cluster.yaml"), f("policies.json"), f("cilium.yaml"), "--dataplane", "cilium", "--from", "shop/web", "--to", "kube-apiserver", "--port", "443/TCP"]);
        assert.strictEqual(r.code, 0, r.out + r.err);
        const k = run(["matrix", f("cluster.yaml"), f("policies.json"), f("cilium.yaml"), "--probe", "443/TCP"]);
        assert.strictEqual(k.code, 0);
        assert.match(k.err, /warning: unsupported: CiliumNetworkPolicy shop\/web-to-apiserver/);
    });

    it("bad files: clear error with the file and document index, no stack trace", () => {
        const r = run(["matrix", f("bad-yaml.yaml")]);
        assert.strictEqual(r.code, 2);
        assert.match(r.err, /bad-yaml\.yaml document 2: /);
        assert.doesNotMatch(r.err, /\n\s+at /);
        const inv = run(["matrix", f("invalid-policy.yaml")]);
        assert.strictEqual(inv.code, 2);
        assert.match(inv.err, /NetworkPolicy shop\/bad-cidr \(.*invalid-policy\.yaml document 1\): spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: invalid CIDR/);
        const missing = run(["matrix", f("does-not-exist.yaml")]);
        assert.strictEqual(missing.code, 2);
        assert.match(missing.err, /does-not-exist\.yaml: cannot read/);
    });

    it("usage errors exit 2 with the usage text", () => {
        for (const argv of [[], ["frobnicate"], ["matrix"], ["matrix", f("cluster.yaml"), "--probe", "80/ICMP"], ["explain", f("cluster.yaml"), "--from", "a/b"], ["matrix", f("cluster.yaml"), "--bogus"]]) {
            const r = run(argv);
            assert.strictEqual(r.code, argv.length === 0 ? 0 : 2, argv.join(" "));
            assert.match(r.err, /usage:/);
        }
    });

    it("works on a dump of the dev stack's emitted objects (the offline plan's manifests plus the chart pods)", async () => {
        const resources = (await stackRun("dev")).resources;
        const config = stackPlatformConfig("dev");
        const docs = [...podObjects(platformPods(config)), ...resources.filter(isManifest).map(manifestOf)];
        const dump = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "netpol-dev-")), "dev.yaml");
        fs.writeFileSync(dump, docs.map((d) => stringifyYaml(d)).join("---\n"));
        const r = run(["matrix", dump, "--dataplane", "cilium", "--probe", "443/TCP", "--probe", "8080/TCP", "--external", "internet=93.184.216.34"]);
        assert.strictEqual(r.code, 0, r.err);
        const m = JSON.parse(r.out) as Record<string, Record<string, Record<string, boolean>>>;
        assert.strictEqual(m["443/TCP"]["cert-manager/cert-manager-controller"]["kube-apiserver"], true);
        assert.strictEqual(m["8080/TCP"]["nginx-ingress/nginx-ingress-controller"]["demo/demo"], true);
        assert.strictEqual(m["8080/TCP"].internet["demo/demo"], false);
        const e = run(["explain", dump, "--dataplane", "cilium", "--from", "demo/demo", "--to", "kube-apiserver", "--port", "443/TCP"]);
        assert.strictEqual(e.code, 1, "explain exits 1 for a denied connection");
        assert.match(e.out, /demo\/demo/);
    });

    it("runs as a child process (npm run -s netpol entry point)", () => {
        const out = execFileSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", path.join(__dirname, "..", "..", "policy-pack", "analysis", "cli.ts"), "matrix", f("cluster.yaml"), "--probe", "8080/TCP"], { encoding: "utf8" });
        assert.strictEqual(JSON.parse(out)["8080/TCP"]["shop/db"]["shop/web"], true);
    });
});
