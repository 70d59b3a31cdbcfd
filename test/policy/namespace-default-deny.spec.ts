/**
 * Rule namespace-default-deny in detail: which NetworkPolicy shapes are a default deny for both
 * directions (kubernetes.io/docs/concepts/services-networking/network-policies/, "Default policies":
 * `podSelector: {}`, both policyTypes, no rules; an absent podSelector is read as `{}`), what an
 * unknown part at preview leaves open, and how the findings read.
 */
import * as assert from "node:assert/strict";
import type { PlanResource } from "../../policy-pack/plan-resource";
import { DenyShape, defaultDenyShape } from "../../policy-pack/rules/01-namespace-default-deny";
import { Obj, withUnknowns } from "../../policy-pack/rules/lib/k8s";
import { expectClean, expectUndecided, expectViolations, k, runRule, UNKNOWN, violations } from "./helpers";

const BOTH = ["Ingress", "Egress"];
const shape = (spec: unknown): DenyShape => defaultDenyShape(withUnknowns({ spec }) as Obj);

describe("namespace-default-deny: policy shapes", () => {
    const cases: [string, unknown, DenyShape][] = [
        ["the canonical deny", { podSelector: {}, policyTypes: BOTH }, { is: "yes" }],
        ["no podSelector selects every pod", { policyTypes: BOTH }, { is: "yes" }],
        ["empty matchLabels and matchExpressions select every pod", { podSelector: { matchLabels: {}, matchExpressions: [] }, policyTypes: BOTH }, { is: "yes" }],
        ["empty rule lists allow nothing", { podSelector: {}, policyTypes: BOTH, ingress: [], egress: [] }, { is: "yes" }],
        ["a matchExpressions requirement narrows it", { podSelector: { matchExpressions: [{ key: "a", operator: "Exists" }] }, policyTypes: BOTH }, { is: "no" }],
        ["a matchLabels requirement with an unknown value still narrows it", { podSelector: { matchLabels: { app: UNKNOWN } }, policyTypes: BOTH }, { is: "no" }],
        ["Egress missing", { podSelector: {}, policyTypes: ["Ingress"] }, { is: "no" }],
        ["no policyTypes at all", { podSelector: {} }, { is: "no" }],
        ["an egress rule is an allow", { podSelector: {}, policyTypes: BOTH, egress: [{}] }, { is: "no" }],
        ["the whole spec unknown", UNKNOWN, { is: "maybe", unknown: [".spec"] }],
        ["the podSelector unknown", { podSelector: UNKNOWN, policyTypes: BOTH }, { is: "maybe", unknown: [".spec.podSelector"] }],
        ["matchLabels unknown", { podSelector: { matchLabels: UNKNOWN }, policyTypes: BOTH }, { is: "maybe", unknown: [".spec.podSelector.matchLabels"] }],
        ["matchExpressions unknown", { podSelector: { matchExpressions: UNKNOWN }, policyTypes: BOTH }, { is: "maybe", unknown: [".spec.podSelector.matchExpressions"] }],
        ["policyTypes unknown", { podSelector: {}, policyTypes: UNKNOWN }, { is: "maybe", unknown: [".spec.policyTypes"] }],
        ["one unknown type may be the missing one", { podSelector: {}, policyTypes: ["Ingress", UNKNOWN] }, { is: "maybe", unknown: [".spec.policyTypes.1"] }],
        ["an unknown type beside both known ones changes nothing", { podSelector: {}, policyTypes: [...BOTH, UNKNOWN] }, { is: "yes" }],
        ["one unknown type cannot be both missing ones", { podSelector: {}, policyTypes: [UNKNOWN] }, { is: "no" }],
        ["an unknown rule list may hold allows", { podSelector: {}, policyTypes: BOTH, ingress: UNKNOWN }, { is: "maybe", unknown: [".spec.ingress"] }],
        ["every unknown part is named", { podSelector: UNKNOWN, policyTypes: BOTH, egress: UNKNOWN }, { is: "maybe", unknown: [".spec.podSelector", ".spec.egress"] }],
    ];
    for (const [why, spec, expected] of cases) it(why, () => assert.deepEqual(shape(spec), expected));
});

describe("namespace-default-deny: the rule", () => {
    const withMeta = (r: PlanResource, metadata: unknown): PlanResource => ({ ...r, props: { ...r.props, metadata } });
    it("names the namespace, the deny it lacks and both fixes", async () => {
        expectViolations(await runRule("namespace-default-deny", [k.namespace("a")]), 1,
            `Namespace a (resource "ns-a"): namespace "a" has no default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress, Egress], no rules)`,
            `Fix: add NetworkPolicy "default-deny" in namespace a with podSelector: {}, policyTypes: [Ingress, Egress] and no rules, or add "a" to exemptNamespaces`);
    });
    it("a deny without a namespace (or an empty one) is in default", async () => {
        expectClean(await runRule("namespace-default-deny", [k.namespace("default"), withMeta(k.defaultDeny("x"), { name: "default-deny" })]));
        expectClean(await runRule("namespace-default-deny", [k.namespace("default"), withMeta(k.defaultDeny("x"), { name: "default-deny", namespace: "" })]));
        expectViolations(await runRule("namespace-default-deny", [k.namespace("a"), withMeta(k.defaultDeny("x"), { name: "default-deny" })]), 1, "Namespace a");
    });
    it("a Namespace without a name cannot be matched: undecided", async () => {
        const r = await runRule("namespace-default-deny", [withMeta(k.namespace("a"), {})]);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "metadata.name is not set (auto-named), so no policy can be matched to it");
    });
    it("lists every candidate and what each depends on", async () => {
        const maybeHere = k.networkPolicy("a", "d", { podSelector: {}, policyTypes: UNKNOWN });
        const anywhere = withMeta(k.defaultDeny("x"), UNKNOWN);
        const r = await runRule("namespace-default-deny", [k.namespace("a"), maybeHere, anywhere]);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, `no default deny is known for a; it depends on NetworkPolicy a/d (resource "a-d") (.spec.policyTypes unknown); `, "(.metadata unknown)");
    });
    it("a candidate in the namespace lists each of its unknown parts", async () => {
        const maybeHere = k.networkPolicy("a", "d", { podSelector: UNKNOWN, policyTypes: UNKNOWN });
        expectUndecided(await runRule("namespace-default-deny", [k.namespace("a"), maybeHere]), `NetworkPolicy a/d (resource "a-d") (.spec.podSelector, .spec.policyTypes unknown)`);
    });
    it("a policy with an unknown namespace names that path and its own unknowns", async () => {
        const deny = k.networkPolicy("x", "d", { podSelector: {}, policyTypes: UNKNOWN });
        (deny.props.metadata as Record<string, unknown>).namespace = UNKNOWN;
        expectUndecided(await runRule("namespace-default-deny", [k.namespace("a"), deny]), "(.metadata.namespace, .spec.policyTypes unknown)");
    });
    it("only NetworkPolicies count", async () => {
        const lookalike = { ...k.defaultDeny("a"), type: "kubernetes:core/v1:ConfigMap" };
        expectViolations(await runRule("namespace-default-deny", [k.namespace("a"), lookalike]), 1, "Namespace a");
    });
});
