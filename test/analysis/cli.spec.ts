/** The netpol CLI, run in-process on fixture files (and once as a child process, as npm runs it). */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as os from "os";
import { main } from "../../policy-pack/analysis/cli";

const FIX = path.join(__dirname, "fixtures");
const f = (name: string): string => path.join(FIX, name);

function run(argv: string[]): { code: number; out: string; err: string } {
    let out = "";
    let err = "";
    const code = main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), readFile: (p) => fs.readFileSync(p, "utf8") });
    return { code, out, err };
}

type JsonMatrix = { dataplane: string; probes: string[]; warnings: string[]; matrix: Record<string, Record<string, Record<string, string>>> };

/** A CiliumNetworkPolicy whose egress names an FQDN: the analyzer cannot know where it goes. */
const FQDN_POLICY = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: web-fqdn, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: web}}
  egress:
    - toFQDNs: [{matchName: api.example.com}]
      toPorts: [{ports: [{port: "443", protocol: TCP}]}]
`;

describe("analysis: netpol CLI", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netpol-cli-"));
    const fqdn = path.join(dir, "fqdn.yaml");
    fs.writeFileSync(fqdn, FQDN_POLICY);
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("matrix --format json: a status per cell (the hand-written expectations), probes and warnings at the top level", () => {
        const r = run(["matrix", f("cluster.yaml"), f("policies.json"), "--probe", "5432/TCP", "--probe", "8080/TCP", "--external", "internet=93.184.216.34", "--external", "corp=10.20.0.0/16", "--format", "json"]);
        assert.strictEqual(r.code, 0, r.err);
        const j = JSON.parse(r.out) as JsonMatrix;
        assert.deepStrictEqual(j.probes, ["5432/TCP", "8080/TCP"]);
        assert.deepStrictEqual(j.warnings, []);
        const m = j.matrix;
        assert.deepStrictEqual(Object.keys(m["5432/TCP"]), ["shop/web", "shop/db", "other/client", "internet", "corp"]);
        // web may reach db on pg (5432), db accepts web on 5432; nothing else reaches db.
        assert.strictEqual(m["5432/TCP"]["shop/web"]["shop/db"], "allowed");
        assert.strictEqual(m["5432/TCP"]["other/client"]["shop/db"], "denied");
        assert.strictEqual(m["5432/TCP"]["shop/db"]["shop/web"], "denied");
        // web is public on its named port http (8080) from outside 10/8 only; the client has no pod IP.
        assert.strictEqual(m["8080/TCP"].internet["shop/web"], "allowed");
        assert.strictEqual(m["8080/TCP"].corp["shop/web"], "denied");
        assert.strictEqual(m["8080/TCP"]["other/client"]["shop/web"], "denied");
        assert.strictEqual(m["5432/TCP"].internet["shop/web"], "denied");
        // default deny egress in shop: web cannot reach the internet.
        assert.strictEqual(m["8080/TCP"]["shop/web"].internet, "denied");
        assert.strictEqual(m["8080/TCP"]["other/client"].internet, "allowed");
    });

    it("matrix (text, the default): the open connections per probe, then the inconclusive ones marked ?", () => {
        const r = run(["matrix", f("cluster.yaml"), f("policies.json"), fqdn, "--dataplane", "cilium", "--probe", "443/TCP", "--external", "api=93.184.216.34"]);
        assert.strictEqual(r.code, 0, r.err);
        assert.match(r.out, /^443\/TCP: \d+ allowed, 1 inconclusive, \d+ denied$/m);
        assert.match(r.out, /^ {2}\? shop\/web -> api$/m);
        assert.match(r.out, /^ {2}other\/client -> api$/m);
        assert.doesNotMatch(r.out, /shop\/web -> shop\/db/);
    });

    it("matrix --format table with --from/--to filters", () => {
        const r = run(["matrix", f("cluster.yaml"), f("policies.json"), "--probe=5432/TCP", "--format", "table", "--from", "shop/web", "--to", "shop/db", "--to", "shop/web"]);
        assert.strictEqual(r.code, 0, r.err);
        assert.match(r.out, /5432\/TCP: X = allowed, \. = denied, \? = inconclusive/);
        assert.match(r.out, /shop\/web\s+X X/);
        assert.match(r.out, /1 shop\/db/);
    });

    it("inconclusive cells: ? in the table, \"inconclusive\" in JSON, and the warning once (stderr in text, the warnings list in JSON)", () => {
        const table = run(["matrix", f("cluster.yaml"), f("policies.json"), fqdn, "--dataplane", "cilium", "--probe", "443/TCP", "--probe", "80/TCP", "--external", "api=93.184.216.34", "--external", "other=203.0.113.7", "--format", "table"]);
        assert.strictEqual(table.code, 0, table.err);
        const warnings = table.err.split("\n").filter((l) => l.startsWith("netpol: warning:"));
        assert.deepStrictEqual(warnings, ["netpol: warning: CiliumNetworkPolicy shop/web-fqdn (" + fqdn + " document 1): spec.egress[0].toFQDNs: FQDN rules are not evaluated (which addresses the names resolve to is not in the input)"]);
        assert.match(table.out, /shop\/web\s+X \. \. \. \. \? \?\n/, "both outside addresses are inconclusive from shop/web, nothing else");
        const json = run(["matrix", f("cluster.yaml"), f("policies.json"), fqdn, "--dataplane", "cilium", "--probe", "443/TCP", "--external", "api=93.184.216.34", "--format", "json"]);
        assert.strictEqual(json.err, "", "JSON mode carries the warnings in the document");
        const j = JSON.parse(json.out) as JsonMatrix;
        assert.strictEqual(j.warnings.length, 1);
        assert.match(j.warnings[0], /web-fqdn.*toFQDNs/);
        assert.strictEqual(j.matrix["443/TCP"]["shop/web"].api, "inconclusive");
        assert.strictEqual(j.matrix["443/TCP"]["shop/web"]["shop/db"], "denied", "toFQDNs never selects pods");
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
        const v = JSON.parse(r.out) as { status: string; ingress: { isolatedBy: string[] }; explanation: string[]; inconclusive: string[] };
        assert.strictEqual(v.status, "denied");
        assert.deepStrictEqual(v.inconclusive, []);
        assert.deepStrictEqual(v.ingress.isolatedBy, ["NetworkPolicy shop/default-deny", "NetworkPolicy shop/web-public"]);
        assert.ok(v.explanation.some((l) => /no known pod IP/.test(l)));
    });

    it("explain: inconclusive (exit 3), text and JSON name the object and the feature", () => {
        const args = ["explain", f("cluster.yaml"), f("policies.json"), fqdn, "--dataplane", "cilium", "--external", "api=93.184.216.34", "--from", "shop/web", "--to", "api", "--port", "443/TCP"];
        const text = run(args);
        assert.strictEqual(text.code, 3, text.err);
        assert.match(text.out, /^INCONCLUSIVE: shop\/web -> api on 443\/TCP/);
        assert.match(text.out, /Why inconclusive:\n {4}- CiliumNetworkPolicy shop\/web-fqdn .*spec\.egress\[0\]\.toFQDNs: FQDN rules are not evaluated/);
        const json = run([...args, "--format", "json"]);
        assert.strictEqual(json.code, 3);
        const v = JSON.parse(json.out) as { status: string; inconclusive: string[] };
        assert.strictEqual(v.status, "inconclusive");
        assert.strictEqual(v.inconclusive.length, 1);
        assert.match(v.inconclusive[0], /web-fqdn.*toFQDNs/);
    });

    it("--dataplane cilium reads CiliumNetworkPolicies and adds the API server and remote-node", () => {
        const r = run(["explain", f("cluster.yaml"), f("policies.json"), f("cilium.yaml"), "--dataplane", "cilium", "--from", "shop/web", "--to", "kube-apiserver", "--port", "443/TCP"]);
        assert.strictEqual(r.code, 0, r.out + r.err);
        const j = JSON.parse(run(["matrix", f("cluster.yaml"), f("policies.json"), f("cilium.yaml"), "--dataplane", "cilium", "--probe", "443/TCP", "--format", "json"]).out) as JsonMatrix;
        assert.ok(j.matrix["443/TCP"]["remote-node"], "remote-node is an endpoint in cilium mode");
        const k = run(["matrix", f("cluster.yaml"), f("policies.json"), f("cilium.yaml"), "--probe", "443/TCP", "--format", "json"]);
        assert.strictEqual(k.code, 0);
        assert.strictEqual((JSON.parse(k.out) as JsonMatrix).matrix["443/TCP"]["kube-apiserver"], undefined, "no API server endpoint on the kubernetes dataplane");
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

    it("--help prints the usage on stdout and exits 0; usage errors exit 2 naming the problem", () => {
        const help = run(["--help"]);
        assert.strictEqual(help.code, 0);
        assert.match(help.out, /^usage:/);
        assert.strictEqual(help.err, "");
        for (const [argv, says] of [
            [[], /a command is required/],
            [["frobnicate", "x"], /unknown command 'frobnicate'/],
            [["matrix"], /no input files/],
            [["matrix", f("cluster.yaml"), "--probe", "80/ICMP"], /protocol must be TCP, UDP or SCTP/],
            [["explain", f("cluster.yaml"), "--from", "a/b"], /exactly one --from and one --to/],
            [["matrix", f("cluster.yaml"), "--bogus"], /unknown option '--bogus'/],
            [["matrix", f("cluster.yaml"), "--format", "yaml"], /--format must be text or json or table, not 'yaml'/],
            [["explain", f("cluster.yaml"), "--from", "a/b", "--to", "c/d", "--port", "80", "--format", "table"], /--format must be text or json, not 'table'/],
            [["matrix", f("cluster.yaml"), "--dataplane", "calico"], /--dataplane must be kubernetes or cilium/],
            [["matrix", f("cluster.yaml"), "--external", "internet"], /--external expects NAME=CIDR, not 'internet'/],
            [["matrix", f("cluster.yaml"), "--external", "=1.2.3.4"], /--external expects NAME=CIDR, not '=1\.2\.3\.4'/],
            [["matrix", f("cluster.yaml"), "--external", "internet="], /--external expects NAME=CIDR, not 'internet='/],
            [["matrix", f("cluster.yaml"), "--port", "80/TCP"], /--port is for explain; use --probe with matrix/],
            [["explain", f("cluster.yaml"), "--from", "a/b", "--to", "c/d"], /explain needs --port PORT\/PROTOCOL/],
            [["explain", f("cluster.yaml"), "--from", "a/b", "--to", "c/d", "--probe", "80/TCP,443/TCP"], /explain needs --port PORT\/PROTOCOL/],
        ] as [string[], RegExp][]) {
            const r = run(argv);
            assert.strictEqual(r.code, 2, argv.join(" "));
            assert.match(r.err, says, argv.join(" "));
            assert.match(r.err, /usage:/);
        }
    });

    it("runs as a child process the way npm runs it (node -r tsx/cjs)", () => {
        const out = execFileSync(process.execPath, ["-r", "tsx/cjs", path.join(__dirname, "..", "..", "policy-pack", "analysis", "cli.ts"), "matrix", f("cluster.yaml"), "--probe", "8080/TCP", "--format", "json"], { encoding: "utf8" });
        assert.strictEqual((JSON.parse(out) as JsonMatrix).matrix["8080/TCP"]["shop/db"]["shop/web"], "allowed");
    });
});
