/**
 * The engine tier's own logic, in process: reading a preview's JSON and event log, comparing it
 * with the offline plan, choosing the CLI, and the pack's handling of resources whose outputs are
 * all unknown in a first preview (found by the engine tier).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { comparePreview, mandatoryRules, parseEventLog, parsePreviewJson, policyVerdict, typeAndName } from "../../engine/preview-checks";
import { cacheRoot, CLI_ENV, ensureToolchain, pinnedCliVersion } from "../../engine/toolchain";
import { encryptionSalt } from "../../engine/workspace";
import { policies } from "../../policy-pack/rules";
import { expectUndecided, k, resource, runRule, violations } from "../policy/helpers";

const urn = (type: string, name: string): string => `urn:pulumi:dev::aks-platform::pulumi:pulumi:Stack$platform:azure:DnsZone$${type}::${name}`;

describe("engine tier: preview JSON against the offline plan", () => {
    const doc = parsePreviewJson(`warning: something first\n${JSON.stringify({
        steps: [
            { op: "create", urn: urn("azure-native:dns:Zone", "zone") },
            { op: "create", urn: urn("kubernetes:core/v1:Namespace", "namespace-demo") },
            { op: "same", urn: urn("pulumi:pulumi:Stack", "aks-platform-dev") },
        ],
        changeSummary: { create: 2, same: 1 },
    })}`);

    it("reads the steps and the change summary, even after a leading warning", () => {
        assert.strictEqual(doc.steps.length, 3);
        assert.strictEqual(doc.changeSummary.create, 2);
        assert.throws(() => parsePreviewJson("error: no stack"), /no JSON document/);
    });

    it("names a resource by its type and name, whatever its parents", () => {
        assert.strictEqual(typeAndName(urn("azure-native:dns:Zone", "zone")), "azure-native:dns:Zone::zone");
    });

    it("lists what only one side has and every step that is not a create", () => {
        const cmp = comparePreview([
            { type: "azure-native:dns:Zone", name: "zone" },
            { type: "pulumi:pulumi:Stack", name: "aks-platform-dev" },
            { type: "kubernetes:core/v1:Service", name: "demo" },
        ], doc);
        assert.deepStrictEqual(cmp, {
            createCount: 2,
            matched: 2,
            onlyInEngine: ["kubernetes:core/v1:Namespace::namespace-demo"],
            onlyInPlan: ["kubernetes:core/v1:Service::demo"],
            notCreate: ["same pulumi:pulumi:Stack::aks-platform-dev"],
        });
    });
});

describe("engine tier: the policy verdict from the event log", () => {
    const line = (o: object): string => JSON.stringify({ sequence: 1, timestamp: 0, ...o });
    const summary = (passed: string[], failed: string[] = []): string => line({ policyAnalyzeStackSummaryEvent: { policyPackName: "aks-platform", policyPackVersion: "0.1.0", passed, failed } });
    const event = (policyName: string, enforcementLevel: string, message: string): string =>
        line({ policyEvent: { policyName, policyPackName: "aks-platform", enforcementLevel, message, color: "never" } });

    it("passes when every mandatory rule reported and none violated", () => {
        const v = policyVerdict(parseEventLog([summary(["a", "b"]), event("c", "advisory", "can't run policy 'c' during preview: x")].join("\n")), "aks-platform", ["a", "c"]);
        assert.deepStrictEqual(v, { ran: true, passed: ["a", "b"], notRun: [], mandatoryViolations: [], undecided: ["c"] });
    });

    it("names a mandatory rule that never ran and every mandatory violation", () => {
        const v = policyVerdict(parseEventLog([summary(["a"], ["b"]), event("b", "mandatory", "Service x: exposed. Fix: y")].join("\n")), "aks-platform", ["a", "b", "d"]);
        assert.deepStrictEqual(v.notRun, ["d"]);
        assert.deepStrictEqual(v.mandatoryViolations, ["b: Service x: exposed. Fix: y"]);
        assert.deepStrictEqual(v.passed, ["a"]);
    });

    it("does not count another pack's summaries as this pack having run", () => {
        const other = line({ policyAnalyzeStackSummaryEvent: { policyPackName: "other", passed: ["a"] } });
        assert.strictEqual(policyVerdict(parseEventLog(other), "aks-platform", ["a"]).ran, false);
    });

    it("applies the policy config's enforcement levels to the pack's rules", () => {
        const byDefault = mandatoryRules(policies, {});
        assert.ok(byDefault.includes("cluster-issuer-only") && !byDefault.includes("cert-manager-ha"));
        const prod = mandatoryRules(policies, { "cert-manager-ha": { enforcementLevel: "mandatory" }, "cluster-issuer-only": "advisory" });
        assert.ok(prod.includes("cert-manager-ha") && !prod.includes("cluster-issuer-only"));
        assert.strictEqual(mandatoryRules(policies, { all: "disabled" }).length, 0);
    });
});

describe("engine tier: choosing and caching the CLI", () => {
    it("reads the pinned CLI version from engine/go/cli/go.mod", () => {
        assert.match(pinnedCliVersion(), /^3\.\d+\.\d+$/);
        assert.strictEqual(pinnedCliVersion("require (\n\tgithub.com/pulumi/pulumi/pkg/v3 v3.1.2 // indirect\n)"), "3.1.2");
        assert.throws(() => pinnedCliVersion("module x\n"), /engine\/go\/cli\/go\.mod does not require github\.com\/pulumi\/pulumi\/pkg\/v3/);
    });

    it("caches under XDG_CACHE_HOME, else ~/.cache", () => {
        assert.strictEqual(cacheRoot({ XDG_CACHE_HOME: "/x" }), path.join("/x", "aks-platform"));
        assert.strictEqual(cacheRoot({}), path.join(os.homedir(), ".cache", "aks-platform"));
    });

    it(`refuses an ${CLI_ENV} that is not an executable, or has no language host beside it`, () => {
        assert.throws(() => ensureToolchain(() => undefined, { [CLI_ENV]: "/nonexistent/pulumi", PATH: "" }), new RegExp(`${CLI_ENV}=/nonexistent/pulumi: no executable file there`));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-cli-"));
        try {
            fs.writeFileSync(path.join(dir, "pulumi"), "#!/bin/sh\necho v3.0.0\n", { mode: 0o755 });
            assert.throws(() => ensureToolchain(() => undefined, { [CLI_ENV]: path.join(dir, "pulumi"), PATH: "" }), /no pulumi-language-nodejs next to it or on PATH/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("keeps the salt the CLI wrote into a stack file", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "salt-"));
        try {
            fs.writeFileSync(path.join(dir, "a.yaml"), "config:\n  x: 1\nencryptionsalt: v1:abc:def\n");
            fs.writeFileSync(path.join(dir, "b.yaml"), "config:\n  x: 1\n");
            assert.strictEqual(encryptionSalt(path.join(dir, "a.yaml")), "encryptionsalt: v1:abc:def");
            assert.strictEqual(encryptionSalt(path.join(dir, "b.yaml")), undefined);
            assert.strictEqual(encryptionSalt(path.join(dir, "missing.yaml")), undefined);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("policy pack: a resource with no outputs in a first preview (found by the engine tier)", () => {
    // Under the real engine, Kubernetes resources of a new stack arrive at stack rules with no
    // outputs at all: the provider's kubeconfig is unknown until the cluster exists.
    const emptyCertificate = resource("kubernetes:cert-manager.io/v1:Certificate", "ingress-wildcard-certificate", {});
    const emptyDeployment = resource("kubernetes:apps/v1:Deployment", "app-demo-deployment", {});

    it("cluster-issuer-only is undecided, not violated, on a Certificate with no outputs", async () => {
        const result = await runRule("cluster-issuer-only", [emptyCertificate]);
        assert.deepStrictEqual(violations(result), []);
        expectUndecided(result, "kubernetes:cert-manager.io/v1:Certificate ingress-wildcard-certificate: all outputs unknown");
    });

    it("workload-default-deny is undecided, not violated, on a Deployment with no outputs", async () => {
        const result = await runRule("workload-default-deny", [k.namespace("demo"), emptyDeployment]);
        assert.deepStrictEqual(violations(result), []);
        expectUndecided(result, "app-demo-deployment: all outputs unknown");
    });

    it("still judges resources whose outputs are known", async () => {
        const result = await runRule("cluster-issuer-only", [k.certificate("a", "c", { secretName: "s", issuerRef: { name: "x" } })]);
        assert.strictEqual(violations(result).length, 1);
    });
});
