/**
 * Rule wildcard-dns01 in detail, against cert-manager's own solver choice: an ACME server offers only
 * dns-01 for a wildcard (RFC 8555 section 7.1.3), cert-manager considers only solvers of an offered
 * type whose selector matches (pkg/util/solverpicker/solverpicker.go, Pick), and a selector matches
 * when all its parts do (pkg/controller/acmeorders/selectors: labels.go, dns_names.go, dns_zones.go).
 */
import * as assert from "node:assert/strict";
import { SolverSelector, solverSelectorMatches } from "../../policy-pack/rules/14-wildcard-dns01";
import { expectClean, expectViolations, k, runRule } from "./helpers";

const sel = (s: Partial<SolverSelector>): SolverSelector => ({ dnsNames: [], dnsZones: [], matchLabels: {}, ...s });

describe("wildcard-dns01: solver selectors", () => {
    const cases: [string, SolverSelector | undefined, string, Record<string, string>, boolean][] = [
        ["no selector matches everything", undefined, "*.example.com", {}, true],
        ["an empty selector matches everything", sel({}), "*.example.com", {}, true],
        ["a zone covers a wildcard below it", sel({ dnsZones: ["example.com"] }), "*.example.com", {}, true],
        ["a zone covers a deeper wildcard", sel({ dnsZones: ["example.com"] }), "*.apps.example.com", {}, true],
        ["zones compare whole labels, not text", sel({ dnsZones: ["ample.com"] }), "*.example.com", {}, false],
        ["zones ignore case and a trailing dot", sel({ dnsZones: ["Example.COM."] }), "*.example.com", {}, true],
        ["a name with a trailing dot", sel({ dnsZones: ["example.com"] }), "*.example.com.", {}, true],
        ["a zone written as the wildcard itself", sel({ dnsZones: ["*.example.com"] }), "*.example.com", {}, true],
        ["a zone below the name does not cover it", sel({ dnsZones: ["apps.example.com"] }), "*.example.com", {}, false],
        ["one of several zones is enough", sel({ dnsZones: ["other.org", "example.com"] }), "*.example.com", {}, true],
        ["dnsNames match exactly", sel({ dnsNames: ["*.example.com"] }), "*.example.com", {}, true],
        ["dnsNames do not match a name below", sel({ dnsNames: ["example.com"] }), "*.example.com", {}, false],
        ["dnsNames and dnsZones must both match", sel({ dnsNames: ["*.example.com"], dnsZones: ["other.org"] }), "*.example.com", {}, false],
        ["every matchLabel must be on the certificate", sel({ matchLabels: { team: "a", tier: "web" } }), "*.example.com", { team: "a" }, false],
        ["matchLabels present with the same values", sel({ matchLabels: { team: "a" } }), "*.example.com", { team: "a", extra: "x" }, true],
        ["a matchLabel with another value", sel({ matchLabels: { team: "a" } }), "*.example.com", { team: "b" }, false],
    ];
    for (const [why, s, name, labels, expected] of cases) it(why, () => assert.equal(solverSelectorMatches(s, name, labels), expected));
});

describe("wildcard-dns01: the rule", () => {
    const STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory";
    const issuer = (solvers: unknown[]) => k.clusterIssuer("le", { acme: { server: STAGING, email: "a@example.com", privateKeySecretRef: { name: "le-key" }, solvers } });
    const dns01 = (selector?: Record<string, unknown>) => ({ ...(selector ? { selector } : {}), dns01: { azureDNS: { subscriptionID: "s", resourceGroupName: "rg", hostedZoneName: "example.com", environment: "AzurePublicCloud" } } });
    const http01 = (selector?: Record<string, unknown>) => ({ ...(selector ? { selector } : {}), http01: { ingress: { ingressClassName: "nginx" } } });
    const cert = (labels: Record<string, string> = {}) => {
        const c = k.certificate("a", "w", { secretName: "s", dnsNames: ["*.example.com", "example.com"], issuerRef: { name: "le", kind: "ClusterIssuer" } });
        (c.props.metadata as Record<string, unknown>).labels = labels;
        return c;
    };

    it("an http01 solver naming the wildcard exactly never applies: the catch-all dns01 solver validates it", async () => {
        expectClean(await runRule("wildcard-dns01", [issuer([http01({ dnsNames: ["*.example.com"] }), dns01()]), cert()]));
    });
    it("only http01 solvers match: the order would fail", async () => {
        expectViolations(await runRule("wildcard-dns01", [issuer([http01(), dns01({ dnsZones: ["other.org"] })]), cert()]), 1,
            "Certificate a/w", "wildcard *.example.com matches only HTTP-01 solvers of ClusterIssuer le",
            "Fix: add a dns01 solver with selector.dnsZones covering example.com to ClusterIssuer le");
    });
    it("no solver matches at all", async () => {
        expectViolations(await runRule("wildcard-dns01", [issuer([dns01({ dnsZones: ["other.org"] })]), cert()]), 1, "no solver of ClusterIssuer le applies to wildcard *.example.com");
    });
    it("a dns01 solver limited by matchLabels applies only to certificates carrying them", async () => {
        const rs = (labels: Record<string, string>) => [issuer([dns01({ matchLabels: { dns: "azure" } })]), cert(labels)];
        expectClean(await runRule("wildcard-dns01", rs({ dns: "azure" })));
        expectViolations(await runRule("wildcard-dns01", rs({})), 1, "no solver");
    });
    it("a dns01 solver for other names does not apply", async () => {
        expectViolations(await runRule("wildcard-dns01", [issuer([dns01({ dnsNames: ["www.example.com"] })]), cert()]), 1, "no solver");
    });
    it("names without a wildcard are not this rule's concern", async () => {
        const plain = k.certificate("a", "p", { secretName: "s", dnsNames: ["www.example.com"], issuerRef: { name: "le", kind: "ClusterIssuer" } });
        expectClean(await runRule("wildcard-dns01", [issuer([http01()]), plain]));
    });
});
