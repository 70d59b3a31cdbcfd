/** `npm run -s policy -- check FILE`: exit codes and output on real and broken plans, and bad files. */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../policy-pack/cli";
import { stackResources } from "./stacks";
import { Captured, captureConsole } from "../support/console";

function run(args: string[]): Promise<Captured> {
    return captureConsole(() => main(args));
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
            [["lint", "x"], /unknown command 'lint'/],
            [["check", "x.json", "--strict"], /unknown option '--strict'/],
            [["check", "x.json", "--format", "table"], /--format must be text or json, not 'table'/],
            [["check", file("empty.json", { resources: [] })], /the plan has no resources, so nothing can be checked/],
            [["check", file("empty-list.json", [])], /the plan has no resources/],
        ] as [string[], RegExp][]) {
            const r = await run(args);
            assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
            assert.match(r.err, msg);
            assert.doesNotMatch(r.err, /\n\s+at /);
        }
    });
    it("--help prints the usage on stdout and exits 0", async () => {
        const r = await run(["--help"]);
        assert.equal(r.code, 0);
        assert.match(r.out, /^usage: npm run -s policy -- check FILE/);
    });

    // As the Pulumi CLI validates it (pulumi/pkg/v3 v3.274.1, pkg/resource/analyzer/config.go):
    // enforcement levels from the allowed set, each rule's configSchema.
    describe("policy config validated as the Pulumi CLI does: exit 2 naming the rule, the key and the value", () => {
        let plan: string;
        beforeEach(async () => { plan = file("dev-config.json", await stackResources("dev")); });
        for (const [why, config, says] of [
            ["a misspelt enforcement level", { "cert-manager-ha": { enforcementLevel: "mandantory" } }, /cert-manager-ha: enforcementLevel = "mandantory" is not one of advisory, mandatory, remediate, disabled/],
            ["a misspelt level given as a string", { "dns-role-scope": "mandatory!" }, /dns-role-scope: enforcement level "mandatory!" is not one of/],
            ["a misspelt level for all", { all: "strict" }, /all: enforcement level "strict" is not one of/],
            ["a string where the schema wants a list (it would match by substring)", { "namespace-default-deny": { exemptNamespaces: "kube-system" } }, /namespace-default-deny: exemptNamespaces = "kube-system": must be array/],
            ["a bad enum value", { "dns-egress-allowed": { dataplane: "calico" } }, /dns-egress-allowed: dataplane = "calico": must be equal to one of the allowed values \("cilium", "kubernetes"\)/],
            ["a nested bad value", { "required-flows": { requiredFlows: [{ name: "x", from: "a", to: "b", ports: ["443"] }] } }, /required-flows: requiredFlows\.0\.ports\.0 = "443": must match pattern/],
            ["a required key missing in a list entry", { "required-flows": { requiredFlows: [{ name: "x", from: "a", ports: ["443/TCP"] }] } }, /required-flows: requiredFlows\.0\.to is required/],
            ["a value that is neither a level nor an object", { "ingress-tls": 3 }, /ingress-tls: 3 is not a valid value; it must be an enforcement level or an object/],
            ["a version this CLI does not read", { version: 3 }, /"version": 3 isn't supported/],
            ["ESC environments (they need the CLI and a backend)", { environments: ["team/policy"] }, /"environments": ESC environments are resolved by the Pulumi CLI/],
        ] as [string, unknown, RegExp][]) {
            it(why, async () => {
                const r = await run(["check", plan, "--config", file("bad-config.json", config)]);
                assert.equal(r.code, 2, r.out + r.err);
                assert.match(r.err, says);
                assert.doesNotMatch(r.err, /\n\s+at /);
            });
        }
        it("every problem of a config is listed at once", async () => {
            const r = await run(["check", plan, "--config", file("two.json", { "cert-manager-ha": "never", "namespace-default-deny": { exemptNamespaces: "a" } })]);
            assert.equal(r.code, 2);
            assert.match(r.err, /cert-manager-ha/);
            assert.doesNotMatch(r.err, /exemptNamespaces/, "levels are parsed before schemas, as the CLI does; the level error stops it");
        });
        it("accepts what the CLI accepts: version 2 files, an empty file, and config for a policy the pack does not have (with a warning)", async () => {
            const v2 = await run(["check", plan, "--config", file("v2.json", { version: 2, policies: { "cert-manager-ha": { enforcementLevel: "mandatory", certManagerMinReplicas: 1 } } })]);
            assert.equal(v2.code, 0, v2.err);
            const empty = await run(["check", plan, "--config", file("empty-config.json", "  \n")]);
            assert.equal(empty.code, 0, empty.err);
            const unknown = await run(["check", plan, "--config", file("unknown.json", { "namespace-default-denny": { exemptNamespaces: ["a"] } })]);
            assert.equal(unknown.code, 0, unknown.err);
            assert.match(unknown.err, /warning: the policy config names "namespace-default-denny", which is not a policy of this pack; it configures nothing/);
        });
        it("the prod policy config the CI passes is valid", async () => {
            const r = await run(["check", plan, "--config", path.join(__dirname, "..", "..", "policy-pack", "config", "prod.json")]);
            assert.notEqual(r.code, 2, r.err);
        });
    });
});
