/** `npm run -s policy -- check FILE`: exit codes and output on real and broken plans, and bad files. */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../policy-pack/cli";
import { stackResources } from "./stacks";

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const log = console.log;
    const error = console.error;
    console.log = (...a: unknown[]) => { out.push(a.join(" ")); };
    console.error = (...a: unknown[]) => { err.push(a.join(" ")); };
    try {
        const code = await main(args);
        return { code, out: out.join("\n"), err: err.join("\n") };
    } finally {
        console.log = log;
        console.error = error;
    }
}

describe("policy CLI", function () {
    this.timeout(30_000);
    let dir: string;
    const file = (name: string, content: unknown): string => {
        const f = path.join(dir, name);
        fs.writeFileSync(f, typeof content === "string" ? content : JSON.stringify(content));
        return f;
    };
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-cli-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("exits 0 on the dev plan and says what it checked", async () => {
        const r = await run(["check", file("dev.json", { project: "aks-platform", stack: "dev", resources: await stackResources("dev") })]);
        assert.equal(r.code, 0, r.out + r.err);
        assert.match(r.out, /resources checked: 0 mandatory/);
    });
    it("exits 1 on a mandatory violation, printing rule, resource and fix", async () => {
        const rs = await stackResources("dev");
        const broken = rs.filter((x) => !((x.props as { metadata?: { name?: string; namespace?: string } }).metadata?.name === "default-deny" && (x.props as { metadata?: { namespace?: string } }).metadata?.namespace === "cert-manager"));
        assert.equal(broken.length, rs.length - 1);
        const r = await run(["check", file("broken.json", broken)]);
        assert.equal(r.code, 1);
        assert.match(r.out, /MANDATORY\s+namespace-default-deny\s+kubernetes:core\/v1:Namespace/);
        assert.match(r.out, /Fix: add NetworkPolicy "default-deny" in namespace cert-manager/);
    });
    it("exits 0 on advisory-only findings, and 1 when the config makes the rule mandatory", async () => {
        const rs = await stackResources("prod");
        for (const r of rs) if (r.type === "kubernetes:helm.sh/v3:Release" && String(r.props.chart).endsWith("cert-manager")) (r.props.values as Record<string, unknown>).replicaCount = 1;
        const plan = file("prod.json", { resources: rs });
        const advisory = await run(["check", plan]);
        assert.equal(advisory.code, 0);
        assert.match(advisory.out, /ADVISORY\s+cert-manager-ha/);
        const mandatory = await run(["check", plan, "--config", file("cfg.json", { "cert-manager-ha": { enforcementLevel: "mandatory" } })]);
        assert.equal(mandatory.code, 1);
    });
    it("prints JSON with --format json", async () => {
        const r = await run(["check", file("dev2.json", await stackResources("dev")), "--format", "json"]);
        const parsed = JSON.parse(r.out) as { resources: number; findings: unknown[] };
        assert.ok(parsed.resources > 0);
        assert.deepEqual(parsed.findings, []);
    });
    it("reports bad files and arguments clearly, without a stack trace, exit 2", async () => {
        for (const [args, msg] of [
            [["check", path.join(dir, "missing.json")], /cannot read plan file .*no such file/],
            [["check", file("bad.json", "{not json")], /is not valid JSON/],
            [["check", file("shape.json", { resources: [{ name: "x" }] })], /resources\[0\] has no string "type"/],
            [["check", file("obj.json", { nope: 1 })], /expected \{"resources": \[\.\.\.\]\}/],
            [["check"], /check needs a FILE/],
            [["lint", "x"], /unknown command "lint"/],
        ] as [string[], RegExp][]) {
            const r = await run(args);
            assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
            assert.match(r.err, msg);
            assert.doesNotMatch(r.err, /\n\s+at /);
        }
    });
});
