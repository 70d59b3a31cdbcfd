/**
 * Rule ingress-tls in detail: which TLS hosts cover a rule host (a wildcard covers exactly one label,
 * RFC 6125 section 6.4.3), and which F5 NGINX controller serves a secretless entry: the one whose
 * ingress class the Ingress names (any controller when it names none; class `nginx` when the chart
 * value is unset: charts/nginx-ingress/values.yaml), with `-wildcard-tls-secret` given as
 * namespace/name (nginx/kubernetes-ingress cmd/nginx-ingress/flags.go).
 */
import * as assert from "node:assert/strict";
import { tlsCovers } from "../../policy-pack/rules/04-ingress-tls";
import type { PlanResource } from "../../policy-pack/plan-resource";
import { expectClean, expectViolations, k, runRule } from "./helpers";

describe("ingress-tls: TLS host coverage", () => {
    const cases: [string, string, boolean][] = [
        ["w.example.com", "w.example.com", true],
        ["*.example.com", "w.example.com", true],
        ["*.example.com", "example.com", false],
        ["*.example.com", "a.b.example.com", false],
        ["*.example.com", "*.example.com", true],
        ["*.example.com", "*.b.example.com", false],
        ["*.example.com", "localhost", false],
        ["w.example.com", "x.example.com", false],
        ["*.localhost", "localhost", false],
    ];
    for (const [tls, host, expected] of cases) it(`${tls} ${expected ? "covers" : "does not cover"} ${host}`, () => assert.equal(tlsCovers(tls, host), expected));
});

describe("ingress-tls: the controller's wildcard certificate", () => {
    const controller = (values: Record<string, unknown>, chart = "oci://ghcr.io/nginx/charts/nginx-ingress") =>
        k.release("ic", { chart, namespace: "nginx-ingress", values: { controller: values } });
    const wildcardCert = (ns = "nginx-ingress") => k.certificate(ns, "wildcard", { secretName: "wildcard-tls", dnsNames: ["*.example.com"], issuerRef: { name: "le", kind: "ClusterIssuer" } });
    const secretless = (cls?: string): PlanResource => k.ingress("a", "w", { ...(cls ? { ingressClassName: cls } : {}), tls: [{ hosts: ["w.example.com"] }], rules: [{ host: "w.example.com" }, { http: { paths: [] } }] });
    const serves = { wildcardTLS: { secret: "nginx-ingress/wildcard-tls" } };

    it("a controller without a class value serves class nginx", async () => expectClean(await runRule("ingress-tls", [controller(serves), wildcardCert(), secretless("nginx")])));
    it("an Ingress without a class is served by every controller", async () => {
        expectClean(await runRule("ingress-tls", [controller({ ...serves, ingressClass: { name: "internal" } }), wildcardCert(), secretless()]));
    });
    it("the secret is namespace/name: a same-named Certificate elsewhere does not count", async () => {
        expectViolations(await runRule("ingress-tls", [controller(serves), wildcardCert("other"), secretless("nginx")]), 1, "no secretName");
        expectViolations(await runRule("ingress-tls", [controller({ wildcardTLS: { secret: "wildcard-tls" } }), wildcardCert(), secretless("nginx")]), 1, "no secretName");
    });
    it("only the NGINX chart's values count", async () => {
        expectViolations(await runRule("ingress-tls", [controller(serves, "oci://example/charts/other"), wildcardCert(), secretless("nginx")]), 1, "no secretName");
    });
    it("the message names the host and the class, the fix both ways out", async () => {
        expectViolations(await runRule("ingress-tls", [secretless("internal")]), 1,
            `Ingress a/w (resource "a-w-ing"): the spec.tls entry for host w.example.com has no secretName, and no ingress controller of class internal serves a wildcard certificate covering it (NGINX would refuse the TLS handshake)`,
            "Fix: set secretName on that entry and annotate cert-manager.io/cluster-issuer, or use a host one label below the zone");
        expectViolations(await runRule("ingress-tls", [secretless()]), 1, "no ingress controller of class (any)");
    });
    it("a host with no TLS entry: the fix lists it", async () => {
        const bare = k.ingress("a", "w", { rules: [{ host: "w.example.com" }] });
        expectViolations(await runRule("ingress-tls", [bare]), 1, `Fix: add spec.tls: [{ hosts: ["w.example.com"] }]`);
    });
    it("only the Certificate whose secret the controller names counts", async () => {
        const other = k.certificate("nginx-ingress", "other", { secretName: "other-tls", dnsNames: ["*.example.org"], issuerRef: { name: "le", kind: "ClusterIssuer" } });
        const org = k.ingress("a", "w", { ingressClassName: "nginx", tls: [{ hosts: ["w.example.org"] }], rules: [{ host: "w.example.org" }] });
        expectViolations(await runRule("ingress-tls", [controller(serves), wildcardCert(), other, org]), 1, "host w.example.org has no secretName");
    });
    it("one entry may list several hosts", async () => {
        const both = k.ingress("a", "w", { tls: [{ hosts: ["a.example.com", "w.example.com"], secretName: "s" }], rules: [{ host: "w.example.com" }] });
        expectClean(await runRule("ingress-tls", [both]));
    });
    it("a secret on any covering entry is enough", async () => {
        const two = k.ingress("a", "w", { tls: [{ hosts: ["w.example.com"] }, { hosts: ["*.example.com"], secretName: "s" }], rules: [{ host: "w.example.com" }] });
        expectClean(await runRule("ingress-tls", [two]));
    });
});
