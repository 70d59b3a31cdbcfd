/**
 * Rule letsencrypt-rate-limits in detail: what counts as one new certificate (a Certificate; one per
 * ingress-shim `spec.tls` entry with a secretName, cert-manager's docs "Annotated Ingress resource"),
 * once per registered domain (letsencrypt.org/docs/rate-limits, computed from the Public Suffix List),
 * and how the finding reads.
 */
import * as assert from "node:assert/strict";
import { registeredDomain } from "../../policy-pack/rules/18-letsencrypt-rate-limits";
import type { PlanResource } from "../../policy-pack/plan-resource";
import { expectClean, expectViolations, k, runRule } from "./helpers";

const PROD_SERVER = "https://acme-v02.api.letsencrypt.org/directory";
const prodIssuer = k.clusterIssuer("le-prod", { acme: { server: PROD_SERVER, solvers: [] } });
const LIMIT = { letsEncryptCertificatesPerWeek: 2 };
const cert = (name: string, dnsNames: string[], issuerRef: Record<string, string> = { name: "le-prod", kind: "ClusterIssuer" }) =>
    k.certificate("a", name, { secretName: `${name}-tls`, dnsNames, issuerRef });
const ingress = (name: string, tls: Record<string, unknown>[], annotations: Record<string, string> = { "cert-manager.io/cluster-issuer": "le-prod" }): PlanResource =>
    k.ingress("a", name, { tls, rules: [] }, annotations);

describe("letsencrypt-rate-limits: registered domains", () => {
    const cases: [string, string][] = [
        ["*.dev.example.co.uk", "example.co.uk"],
        ["app.example.com", "example.com"],
        ["example.com", "example.com"],
        ["*.example.com", "example.com"],
        ["localhost", "localhost"],
    ];
    for (const [name, domain] of cases) it(`${name} → ${domain}`, () => assert.equal(registeredDomain(name), domain));
});

describe("letsencrypt-rate-limits: what counts", () => {
    it("a certificate counts once per registered domain it names", async () => {
        expectClean(await runRule("letsencrypt-rate-limits", [prodIssuer, cert("one", ["a.example.com", "b.example.com", "*.example.com"]), cert("two", ["c.example.com"])], LIMIT));
        expectViolations(await runRule("letsencrypt-rate-limits", [prodIssuer, cert("one", ["a.example.com", "a.example.org"]), cert("two", ["b.example.org"]), cert("three", ["c.example.org"])], LIMIT),
            1, "registered domain example.org", "3 certificates from Let's Encrypt production fall under example.org");
    });
    it("each tls entry with a secretName is one certificate; one without is served by the default certificate", async () => {
        const threeEntries = ingress("web", [{ hosts: ["a.example.com"], secretName: "a" }, { hosts: ["b.example.com"], secretName: "b" }, { hosts: ["c.example.com"], secretName: "c" }]);
        expectViolations(await runRule("letsencrypt-rate-limits", [prodIssuer, threeEntries], LIMIT), 1, "3 certificates");
        const withoutSecrets = ingress("web", [{ hosts: ["a.example.com"] }, { hosts: ["b.example.com"] }, { hosts: ["c.example.com"], secretName: "c" }]);
        expectClean(await runRule("letsencrypt-rate-limits", [prodIssuer, withoutSecrets], LIMIT));
    });
    it("a namespaced Issuer on Let's Encrypt production counts too", async () => {
        const issuer = k.issuer("a", "le", { acme: { server: PROD_SERVER, solvers: [] } });
        const rs = [issuer, ...["x", "y", "z"].map((n) => ingress(n, [{ hosts: [`${n}.example.com`], secretName: n }], { "cert-manager.io/issuer": "le" }))];
        expectViolations(await runRule("letsencrypt-rate-limits", rs, LIMIT), 1, "3 certificates");
    });
    it("an Ingress without a cert-manager annotation, or a certificate whose issuer is elsewhere, asks Let's Encrypt for nothing here", async () => {
        const plain = ["x", "y", "z"].map((n) => ingress(n, [{ hosts: [`${n}.example.com`], secretName: n }], {}));
        const elsewhere = ["x", "y", "z"].map((n) => cert(n, [`${n}.example.com`], { name: "outside", kind: "ClusterIssuer" }));
        expectClean(await runRule("letsencrypt-rate-limits", [prodIssuer, ...plain, ...elsewhere], LIMIT));
    });
});

describe("letsencrypt-rate-limits: the finding", () => {
    const certs = (n: number) => Array.from({ length: n }, (_, i) => cert(`c${i}`, [`h${i}.example.com`]));
    it("names the limit, the first three requesters and how many more", async () => {
        const [v] = expectViolations(await runRule("letsencrypt-rate-limits", [prodIssuer, ...certs(5)], LIMIT), 1,
            "registered domain example.com: 5 certificates from Let's Encrypt production fall under example.com, more than the 2 it issues per registered domain per week",
            "; +2 more)", "Fix: serve hosts one label below the zone with the controller's wildcard certificate");
        const listed = v.message.split("per week (")[1].split("; +")[0].split("; ");
        assert.deepEqual(listed, ["c0", "c1", "c2"].map((n) => `Certificate a/${n} (resource "cert-a-${n}")`));
    });
    it("three requesters are all listed, with no count of more", async () => {
        const [v] = expectViolations(await runRule("letsencrypt-rate-limits", [prodIssuer, ...certs(3)], LIMIT), 1, "3 certificates");
        assert.ok(v.message.includes(`(resource "cert-a-c2")). Fix:`), v.message);
    });
    it("exactly the limit passes", async () => expectClean(await runRule("letsencrypt-rate-limits", [prodIssuer, ...certs(2)], LIMIT)));
});
