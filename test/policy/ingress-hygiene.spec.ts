/**
 * Rule ingress-hygiene in detail: snippet annotations of both NGINX controllers (F5's nginx.org/
 * *-snippets, docs.nginx.com "Advanced configuration with snippets"; ingress-nginx's
 * nginx.ingress.kubernetes.io/*-snippet), zone membership by whole labels, and the host + path
 * uniqueness across Ingresses.
 */
import * as assert from "node:assert/strict";
import { inZone, isSnippetAnnotation } from "../../policy-pack/rules/11-ingress-hygiene";
import type { PlanResource } from "../../policy-pack/plan-resource";
import { expectClean, expectUndecided, expectViolations, k, resource, runRule, UNKNOWN, violations } from "./helpers";

describe("ingress-hygiene: snippet annotations", () => {
    const cases: [string, boolean][] = [
        ["nginx.org/server-snippets", true],
        ["nginx.org/location-snippets", true],
        ["nginx.com/Server-Snippets", true],
        ["nginx.ingress.kubernetes.io/configuration-snippet", true],
        ["nginx.org/rewrites", false],
        ["example.com/snippet", false],
        ["nginx.org", false],
        ["example.com/nginx.org/server-snippets", false],
    ];
    for (const [key, expected] of cases) it(`${key}: ${expected ? "raw configuration" : "fine"}`, () => assert.equal(isSnippetAnnotation(key), expected));
});

describe("ingress-hygiene: zones", () => {
    const cases: [string, string[], boolean][] = [
        ["example.com", ["example.com"], true],
        ["App.Example.com", ["example.com"], true],
        ["*.example.com", ["example.com"], true],
        ["badexample.com", ["example.com"], false],
        ["a.example.org", ["example.com", "example.org"], true],
        ["example.com", ["dev.example.com"], false],
    ];
    for (const [host, zones, expected] of cases) it(`${host} ${expected ? "in" : "not in"} ${zones.join(", ")}`, () => assert.equal(inZone(host, zones), expected));
});

describe("ingress-hygiene: the rule", () => {
    const zone = (zoneName: unknown) => resource("azure-native:dns:Zone", "dns", { zoneName });
    const ing = (name: string, spec: Record<string, unknown>, annotations: Record<string, string> = {}, ns = "a"): PlanResource => k.ingress(ns, name, spec, annotations);
    const tls = (host: string) => ({ tls: [{ hosts: [host], secretName: "s" }], rules: [{ host, http: { paths: [{ path: "/", pathType: "Prefix" }] } }] });

    it("the stack's zone, compared without case, plus dnsZones", async () => {
        expectClean(await runRule("ingress-hygiene", [zone("Example.com"), ing("w", tls("w.example.com"))]));
        expectClean(await runRule("ingress-hygiene", [ing("w", tls("w.example.org"))], { dnsZones: ["example.org"] }));
    });
    it("every zone is named", async () => {
        expectViolations(await runRule("ingress-hygiene", [zone("example.com"), ing("w", tls("w.example.net"))], { dnsZones: ["example.org"] }), 1, "outside the stack's DNS zone (example.org, example.com)");
    });
    it("an Ingress without a namespace is in default", async () => {
        const paths = { rules: [{ host: "w.example.com", http: { paths: [{ path: "/" }] } }] };
        const noNs = { ...ing("one", paths), props: { ...ing("one", paths).props, metadata: { name: "one" } } };
        expectViolations(await runRule("ingress-hygiene", [noNs, ing("two", paths)]), 1, "also routed by Ingress default/one");
    });
    it("a host outside the zones: names them and the fix", async () => {
        expectViolations(await runRule("ingress-hygiene", [zone("example.com"), ing("w", tls("w.example.org"))]), 1,
            "TLS host w.example.org is outside the stack's DNS zone (example.com)", "Fix: use a host under example.com, or add its zone to dnsZones");
    });
    it("no zone known: undecided, saying why", async () => {
        const r = await runRule("ingress-hygiene", [ing("w", tls("w.example.com"))]);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "TLS host w.example.com: no DNS zone in the stack and dnsZones is empty");
        expectUndecided(await runRule("ingress-hygiene", [zone(UNKNOWN), ing("w", tls("w.example.com"))]), "TLS host w.example.com: the stack's DNS zone name is unknown");
    });
    it("snippets: each annotation, and the chart value", async () => {
        const r = await runRule("ingress-hygiene", [zone("example.com"), ing("w", tls("w.example.com"), { "nginx.org/server-snippets": "x", "nginx.org/location-snippets": "y", "nginx.org/rewrites": "z" })]);
        expectViolations(r, 2, "injects raw NGINX configuration");
        const release = k.release("ic", { chart: "nginx-ingress", values: { controller: { enableSnippets: true } } });
        expectViolations(await runRule("ingress-hygiene", [release]), 1, "values.controller.enableSnippets is true", "Fix: set values.controller.enableSnippets: false");
        expectClean(await runRule("ingress-hygiene", [k.release("ic", { chart: "nginx-ingress", values: { controller: { enableSnippets: false } } })]));
    });
    it("empty and wildcard hosts, by rule index", async () => {
        const r = await runRule("ingress-hygiene", [ing("w", { rules: [{ host: "w.example.com" }, {}, { host: "*.example.com" }] })]);
        expectViolations(r, 2);
        const messages = violations(r).map((f) => f.message).join("\n");
        assert.match(messages, /rules\[1\] has no host, so it answers for any name\. Fix: set rules\[1\]\.host/);
        assert.match(messages, /rules\[2\] host \*\.example\.com is a wildcard\. Fix: set rules\[2\]\.host to one explicit name/);
    });
    it("host + path: unique across Ingresses, a missing path is /, and one Ingress may repeat itself", async () => {
        const paths = (...ps: (string | undefined)[]) => ({ rules: [{ host: "w.example.com", http: { paths: ps.map((path) => (path === undefined ? {} : { path })) } }] });
        expectClean(await runRule("ingress-hygiene", [ing("one", paths("/", "/")), ing("two", paths("/api"))]));
        expectViolations(await runRule("ingress-hygiene", [ing("one", paths("/")), ing("two", paths(undefined))]), 1,
            "host + path w.example.com/ is also routed by Ingress a/one", "Fix: give each host + path to one Ingress (change the host or path here or in a/one)");
        expectViolations(await runRule("ingress-hygiene", [ing("web", paths("/")), ing("web", paths("/"), {}, "b")]), 1, "also routed by Ingress a/web");
    });
});
