/**
 * How the rules find the issuer behind a certificate request (policy-pack/rules/lib/issuers.ts), seen
 * through the rules that use it. cert-manager's rules: a Certificate's issuerRef without kind, or
 * with kind Issuer, names an Issuer in the Certificate's own namespace (cert-manager.io/docs/usage/
 * certificate); ingress-shim takes `cert-manager.io/cluster-issuer` or `cert-manager.io/issuer` (an
 * Issuer in the Ingress's namespace) and requests the names of `spec.tls[].hosts`
 * (cert-manager.io/docs/usage/ingress).
 */
import * as assert from "assert";
import type { PolicyResource } from "@pulumi/policy";
import { certRequestOf, indexIssuers } from "../../policy-pack/rules/lib/issuers";
import { expectClean, expectViolations, k, resource, runRule } from "./helpers";

const PROD = "https://acme-v02.api.letsencrypt.org/directory";
const STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory";
const acme = (server: string, solvers: unknown[] = []) => ({ acme: { server, solvers } });
const asConfigMap = <R extends { type: string }>(r: R): R => ({ ...r, type: "kubernetes:core/v1:ConfigMap" });

describe("issuer lookup", () => {
    it("kind Issuer names the Issuer of the Certificate's namespace, not a ClusterIssuer of the same name", async () => {
        const cert = k.certificate("a", "c", { secretName: "s", dnsNames: ["x.example.com"], issuerRef: { name: "le", kind: "Issuer" } });
        const rs = [k.clusterIssuer("le", acme(STAGING)), k.issuer("a", "le", acme(PROD)), cert];
        expectViolations(await runRule("letsencrypt-environment", rs), 1, "issues from Let's Encrypt production (Issuer le)");
    });
    it("an Issuer of another namespace is not the one", async () => {
        const cert = k.certificate("a", "c", { secretName: "s", dnsNames: ["x.example.com"], issuerRef: { name: "le", kind: "Issuer" } });
        expectClean(await runRule("letsencrypt-environment", [k.issuer("b", "le", acme(PROD)), cert]));
    });
    it("kind ClusterIssuer names the ClusterIssuer", async () => {
        const cert = k.certificate("a", "c", { secretName: "s", dnsNames: ["x.example.com"], issuerRef: { name: "le", kind: "ClusterIssuer" } });
        expectViolations(await runRule("letsencrypt-environment", [k.clusterIssuer("le", acme(PROD)), k.issuer("a", "le", acme(STAGING)), cert]), 1, "(ClusterIssuer le)");
    });
    it("the issuer annotation on an Ingress names an Issuer of its namespace", async () => {
        const ing = k.ingress("a", "w", { tls: [{ hosts: ["w.example.com"], secretName: "w" }], rules: [] }, { "cert-manager.io/issuer": "le" });
        expectViolations(await runRule("letsencrypt-environment", [k.issuer("a", "le", acme(PROD)), ing]), 1, "(Issuer le)");
    });
    it("an Ingress requests its TLS hosts", async () => {
        const ing = k.ingress("a", "w", { tls: [{ hosts: ["*.example.com"], secretName: "w" }], rules: [] }, { "cert-manager.io/cluster-issuer": "le" });
        expectViolations(await runRule("wildcard-dns01", [k.clusterIssuer("le", acme(STAGING, [{ http01: {} }])), ing]), 1, "wildcard *.example.com");
    });
    it("only ClusterIssuers and Issuers are issuers", async () => {
        const cert = k.certificate("a", "c", { secretName: "s", dnsNames: ["x.example.com"], issuerRef: { name: "le", kind: "ClusterIssuer" } });
        const nsCert = k.certificate("a", "d", { secretName: "s", dnsNames: ["x.example.com"], issuerRef: { name: "le", kind: "Issuer" } });
        expectClean(await runRule("letsencrypt-environment", [asConfigMap(k.clusterIssuer("le", acme(PROD))), asConfigMap(k.issuer("a", "le", acme(PROD))), cert, nsCert]));
    });

    it("indexes only issuers with a name, and asks nothing of resources without an issuer to name", () => {
        const guard = <X>(_r: unknown, f: () => X): X | undefined => f();
        const nameless = resource("kubernetes:cert-manager.io/v1:ClusterIssuer", "ci", { metadata: {}, spec: acme(PROD) });
        const idx = indexIssuers([nameless, k.clusterIssuer("le", acme(PROD))] as unknown as PolicyResource[], guard);
        assert.deepStrictEqual([...idx.cluster.keys()], ["le"]);
        const annotations = { "cert-manager.io/cluster-issuer": "le" };
        const configMap = resource("kubernetes:core/v1:ConfigMap", "cm", { metadata: { name: "cm", namespace: "a", annotations } });
        assert.strictEqual(certRequestOf(configMap, idx), undefined, "only Certificates and Ingresses request certificates");
        const plain = resource("kubernetes:networking.k8s.io/v1:Ingress", "ing", { metadata: { name: "i", namespace: "a" }, spec: { tls: [{ hosts: ["x.example.com"] }] } });
        assert.strictEqual(certRequestOf(plain, idx), undefined, "an Ingress without cert-manager's annotations asks for nothing");
    });
});
