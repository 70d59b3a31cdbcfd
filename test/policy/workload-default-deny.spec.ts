/**
 * Rule workload-default-deny in detail: which policies count as a default deny for a workload's pods
 * (namespace, selector, policyTypes, rules), every workload kind's pod template, and what an unknown
 * part at preview leaves undecided.
 *
 * Kubernetes semantics: a policy isolates the pods its podSelector selects in its own namespace for
 * the directions in policyTypes, and allows only what its rules list, so a deny is a listed type
 * with no rules; matchLabels and matchExpressions are ANDed (kubernetes.io/docs/concepts/
 * services-networking/network-policies/, "Isolated and Non-isolated Pods"; apimachinery
 * pkg/apis/meta/v1 LabelSelector).
 */
import * as assert from "node:assert/strict";
import type { PlanResource } from "../../policy-pack/plan-resource";
import { withUnknowns } from "../../policy-pack/rules/lib/k8s";
import { selects } from "../../policy-pack/rules/10-workload-default-deny";
import { expectClean, expectUndecided, expectViolations, k, resource, runRule, UNKNOWN, violations } from "./helpers";

const LABELS = { app: "web", tier: "front" };
const dep = k.deployment("a", "web", LABELS);
const deny = (ns: string, name: string, spec: Record<string, unknown>): PlanResource => k.networkPolicy(ns, name, { podSelector: {}, policyTypes: ["Ingress", "Egress"], ...spec });

describe("workload-default-deny: selectors", () => {
    const unknownIn = (sel: unknown): unknown => (withUnknowns({ sel }) as { sel: unknown }).sel;
    const cases: [string, unknown, "yes" | "no" | "maybe"][] = [
        ["no selector selects every pod", undefined, "yes"],
        ["a null selector selects every pod", null, "yes"],
        ["an empty selector selects every pod", {}, "yes"],
        ["matching labels", { matchLabels: { app: "web" } }, "yes"],
        ["a label the pods lack", { matchLabels: { role: "db" } }, "no"],
        ["a label with another value", { matchLabels: { app: "db" } }, "no"],
        ["matchLabels and matchExpressions are ANDed", { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "NotIn", values: ["front"] }] }, "no"],
        ["a matching expression", { matchExpressions: [{ key: "tier", operator: "In", values: ["front", "back"] }] }, "yes"],
        ["a selector that is not an object selects nothing", "app=web", "no"],
        ["an unknown selector", unknownIn(UNKNOWN), "maybe"],
        ["an unknown label value", unknownIn({ matchLabels: { app: UNKNOWN } }), "maybe"],
        ["an unknown value never rescues a label the pods lack", unknownIn({ matchLabels: { role: UNKNOWN } }), "no"],
        ["unknown matchLabels", unknownIn({ matchLabels: UNKNOWN }), "maybe"],
        ["unknown matchExpressions", unknownIn({ matchExpressions: UNKNOWN }), "maybe"],
        ["an expression with an unknown part", unknownIn({ matchExpressions: [{ key: "app", operator: "In", values: [UNKNOWN] }] }), "maybe"],
        ["a known expression that fails beside an unknown one", unknownIn({ matchExpressions: [{ key: "app", operator: "In", values: [UNKNOWN] }, { key: "tier", operator: "DoesNotExist" }] }), "no"],
    ];
    for (const [why, sel, expected] of cases) it(why, () => assert.equal(selects(sel, LABELS), expected));
});

describe("workload-default-deny: which policies deny", () => {
    const cases: [string, PlanResource[], "clean" | string[]][] = [
        ["a deny listing both types with no rules", [deny("a", "d", {})], "clean"],
        ["a policy that allows ingress is no ingress deny", [deny("a", "d", { ingress: [{}] })], ["for Ingress in namespace a"]],
        ["a policy that allows egress is no egress deny", [deny("a", "d", { egress: [{ ports: [{ port: 53 }] }] })], ["for Egress in namespace a"]],
        ["an empty rule list is still a deny", [deny("a", "d", { ingress: [], egress: [] })], "clean"],
        ["a type not listed is not denied", [deny("a", "d", { policyTypes: ["Egress"] })], ["for Ingress in namespace a"]],
        ["a deny whose selector misses the pods", [deny("a", "d", { podSelector: { matchLabels: { app: "db" } } })], ["for Ingress and Egress in namespace a"]],
        ["a deny in another namespace", [deny("b", "d", {})], ["for Ingress and Egress in namespace a"]],
    ];
    for (const [why, policies, expected] of cases) {
        it(why, async () => {
            const r = await runRule("workload-default-deny", [dep, ...policies]);
            if (expected === "clean") expectClean(r);
            else expectViolations(r, 1, ...expected);
        });
    }
    it("names the labels, the directions and the namespace, and the fix", async () => {
        expectViolations(await runRule("workload-default-deny", [dep]), 1,
            `Deployment a/web (resource "a-web"): its pods (labels ${JSON.stringify(LABELS)}) are not selected by a default deny for Ingress and Egress in namespace a`,
            `Fix: add NetworkPolicy "default-deny" in namespace a with podSelector: {}, policyTypes: [Ingress, Egress] and no rules`);
    });
    it("a workload and a policy without a namespace (or an empty one) are both in default", async () => {
        const noNs = (r: PlanResource, namespace?: string): PlanResource => ({ ...r, props: { ...r.props, metadata: { name: (r.props.metadata as { name: string }).name, ...(namespace === undefined ? {} : { namespace }) } } });
        expectClean(await runRule("workload-default-deny", [noNs(dep), noNs(deny("x", "d", {}))]));
        expectClean(await runRule("workload-default-deny", [noNs(dep, ""), noNs(deny("x", "d", {}), "")]));
        expectViolations(await runRule("workload-default-deny", [noNs(dep), deny("a", "d", {})]), 1, "in namespace default");
    });
});

describe("workload-default-deny: every workload kind's pod labels", () => {
    const template = { metadata: { labels: LABELS }, spec: { containers: [] } };
    const kinds: [string, string, Record<string, unknown>][] = [
        ["StatefulSet", "kubernetes:apps/v1:StatefulSet", { spec: { template } }],
        ["DaemonSet", "kubernetes:apps/v1:DaemonSet", { spec: { template } }],
        ["ReplicaSet", "kubernetes:apps/v1:ReplicaSet", { spec: { template } }],
        ["Job", "kubernetes:batch/v1:Job", { spec: { template } }],
        ["CronJob", "kubernetes:batch/v1:CronJob", { spec: { jobTemplate: { spec: { template } } } }],
        ["Pod", "kubernetes:core/v1:Pod", { metadata: { name: "w", namespace: "a", labels: LABELS }, spec: {} }],
    ];
    const onlyWeb = deny("a", "d", { podSelector: { matchLabels: LABELS } });
    for (const [kind, type, props] of kinds) {
        it(`${kind}: its pods' labels decide`, async () => {
            const w = resource(type, "w", { kind, metadata: { name: "w", namespace: "a" }, ...props });
            expectClean(await runRule("workload-default-deny", [w, onlyWeb]));
            expectViolations(await runRule("workload-default-deny", [w, deny("a", "d", { podSelector: { matchLabels: { app: "other" } } })]), 1, `${kind} a/w`);
        });
    }
    it("other resources are not workloads", async () => expectClean(await runRule("workload-default-deny", [resource("kubernetes:core/v1:Service", "s", { kind: "Service", metadata: { name: "s", namespace: "a" } })])));
});

describe("workload-default-deny: unknown at preview", () => {
    const D = 'NetworkPolicy a/d (resource "a-d")';
    const unknownMeta = (r: PlanResource): PlanResource => ({ ...r, props: { ...r.props, metadata: UNKNOWN } });
    it("the workload's namespace", async () => {
        const d = k.deployment(UNKNOWN, "web", LABELS);
        const r = await runRule("workload-default-deny", [d, deny("a", "d", {})]);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, ".metadata.namespace is unknown until the update, so the policies selecting its pods cannot be found");
    });
    it("two unknowns are listed together", async () => {
        const d = k.deployment("a", "web", { app: UNKNOWN, tier: UNKNOWN });
        expectUndecided(await runRule("workload-default-deny", [d]), ".spec.template.metadata.labels.app, .spec.template.metadata.labels.tier are unknown until the update");
    });
    it("a policy's whole spec: both directions undecided, naming it", async () => {
        const p = { ...deny("a", "d", {}), props: { ...deny("a", "d", {}).props, spec: UNKNOWN } };
        const r = await runRule("workload-default-deny", [dep, p]);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, `whether a default deny selects its pods depends on Ingress: ${D} (.spec unknown) | Egress: ${D} (.spec unknown)`);
    });
    it("a policy's whole metadata counts for every namespace", async () => {
        const r = await runRule("workload-default-deny", [dep, unknownMeta(deny("a", "d", {}))]);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "Ingress: ", "(.metadata unknown)");
    });
    it("policyTypes unknown, or one entry of it", async () => {
        const r = await runRule("workload-default-deny", [dep, deny("a", "d", { policyTypes: UNKNOWN })]);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, `Ingress: ${D} (.spec.policyTypes unknown) | Egress: ${D} (.spec.policyTypes unknown)`);
        const one = await runRule("workload-default-deny", [dep, deny("a", "d", { policyTypes: ["Ingress", UNKNOWN] })]);
        assert.equal(violations(one).length, 0);
        expectUndecided(one, `depends on Egress: ${D} (.spec.policyTypes.1 unknown)`);
    });
    it("a rule list unknown: that direction only", async () => {
        const r = await runRule("workload-default-deny", [dep, deny("a", "d", { ingress: UNKNOWN })]);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, `depends on Ingress: ${D} (.spec.ingress unknown)`);
        assert.ok(!r.findings.some((f) => f.message.includes("Egress:")), r.findings.map((f) => f.message).join("\n"));
    });
    it("every unknown part of a policy, and every policy that may deny, is listed", async () => {
        const r = await runRule("workload-default-deny", [dep, deny("a", "d", { policyTypes: UNKNOWN, ingress: UNKNOWN }), deny("a", "e", { podSelector: UNKNOWN })]);
        expectUndecided(r, `Ingress: ${D} (.spec.policyTypes, .spec.ingress unknown); NetworkPolicy a/e (resource "a-e") (.spec.podSelector unknown)`);
    });
    it("an unknown policy does not matter when a known deny already selects the pods", async () => {
        expectClean(await runRule("workload-default-deny", [dep, deny("a", "d", {}), deny("a", "u", { policyTypes: UNKNOWN })]));
    });
});
