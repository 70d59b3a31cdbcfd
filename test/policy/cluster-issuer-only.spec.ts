/**
 * Rule cluster-issuer-only in detail: the words of each finding, the list of known ClusterIssuers the
 * fix offers, and an issuer name unknown at preview. cert-manager reads a Certificate's issuerRef
 * without kind as a namespaced Issuer (cert-manager.io/docs/usage/certificate, issuerRef).
 */
import * as assert from "node:assert/strict";
import { expectUndecided, expectViolations, k, runRule, UNKNOWN, violations } from "./helpers";

const ci = (name: unknown) => k.clusterIssuer(String(name), { selfSigned: {} });
const named = (r: ReturnType<typeof ci>, name: unknown) => ({ ...r, props: { ...r.props, metadata: { name } } });
const cert = (issuerRef: Record<string, unknown>) => k.certificate("a", "c", { secretName: "s", issuerRef });

describe("cluster-issuer-only: findings", () => {
    it("a Certificate of kind Issuer: the kind is quoted and the fix lists the stack's ClusterIssuers", async () => {
        expectViolations(await runRule("cluster-issuer-only", [ci("one"), ci("two"), cert({ name: "x", kind: "Issuer" })]), 1,
            `Certificate a/c (resource "cert-a-c"): issuerRef.kind is "Issuer"`,
            "Fix: set spec.issuerRef to { kind: ClusterIssuer, group: cert-manager.io, name: <one of one, two> }");
    });
    it("with no ClusterIssuer at all the fix says (none)", async () => {
        expectViolations(await runRule("cluster-issuer-only", [cert({ name: "x", kind: "ClusterIssuer" })]), 1,
            `issuerRef names ClusterIssuer "x", which the stack does not define and allowedIssuers does not list`,
            `Fix: use one of the stack's ClusterIssuers ((none)) or add "x" to allowedIssuers`);
    });
    it("a Certificate of kind ClusterIssuer without a name", async () => {
        expectViolations(await runRule("cluster-issuer-only", [ci("one"), cert({ kind: "ClusterIssuer" })]), 1, `issuerRef names ClusterIssuer "", which the stack does not define`);
    });
    it("an Ingress annotation naming an undefined ClusterIssuer", async () => {
        const ing = k.ingress("a", "w", { rules: [] }, { "cert-manager.io/cluster-issuer": "missing" });
        expectViolations(await runRule("cluster-issuer-only", [ci("one"), ing]), 1, `annotation cert-manager.io/cluster-issuer names ClusterIssuer "missing"`);
    });
    it("the issuer annotation: its value and the ClusterIssuers to use instead", async () => {
        const ing = k.ingress("a", "w", { rules: [] }, { "cert-manager.io/issuer": "local" });
        expectViolations(await runRule("cluster-issuer-only", [ci("one"), ing]), 1,
            `annotation cert-manager.io/issuer: "local" asks cert-manager for a namespaced Issuer`, "Fix: replace it with cert-manager.io/cluster-issuer: <ClusterIssuer> (one of one)");
    });
    it("a ClusterIssuer whose name is unknown makes an unmatched name undecided, not wrong", async () => {
        const r = await runRule("cluster-issuer-only", [named(ci("x"), UNKNOWN), cert({ name: "maybe", kind: "ClusterIssuer" })]);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, `issuerRef names "maybe" and a ClusterIssuer's name is unknown`);
    });
    it("a namespaced Issuer: the fix offers both ways out", async () => {
        expectViolations(await runRule("cluster-issuer-only", [ci("one"), k.issuer("a", "local", { selfSigned: {} })]), 1,
            "namespaced Issuer a/local is not allowed", `Fix: define it as a ClusterIssuer (or use an existing one: one), or list "a/local" in allowedNamespacedIssuers`);
    });
});
