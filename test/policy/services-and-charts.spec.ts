/**
 * Rules no-exposed-services and helm-chart-pinned in detail. Service types: a Service without
 * spec.type is ClusterIP (kubernetes.io/docs/concepts/services-networking/service/, "Service type");
 * chart versions: an exact SemVer 2.0 version (semver.org), which Helm installs as given, where a
 * range or an empty version makes Helm pick the newest match (helm.sh/docs/helm/helm_install,
 * --version).
 */
import * as assert from "node:assert/strict";
import { exposedServiceValues } from "../../policy-pack/rules/05-no-exposed-services";
import { EXACT_VERSION } from "../../policy-pack/rules/06-helm-chart-pinned";
import { expectClean, expectUndecided, expectViolations, k, runRule, violations } from "./helpers";

describe("no-exposed-services: Helm values", () => {
    it("finds exposed types under any key naming a service, at any depth and in lists", () => {
        const values = { controller: { service: { type: "LoadBalancer" }, metricsService: { type: "NodePort" } }, extra: [{ adminService: { type: "NodePort" } }] };
        assert.deepEqual(exposedServiceValues(values), [
            { path: "controller.service.type", type: "LoadBalancer" },
            { path: "controller.metricsService.type", type: "NodePort" },
            { path: "extra.0.adminService.type", type: "NodePort" },
        ]);
    });
    it("ignores ClusterIP, and a type under a key that is not a service", () => {
        assert.deepEqual(exposedServiceValues({ service: { type: "ClusterIP" }, volume: { type: "NodePort" }, type: "LoadBalancer" }), []);
        assert.deepEqual(exposedServiceValues({ service: { annotation: "NodePort", ports: [80, null] } }), []);
    });
});

describe("no-exposed-services: the rule", () => {
    it("a Service without a type is ClusterIP", async () => expectClean(await runRule("no-exposed-services", [k.service("a", "web", { ports: [{ port: 80 }] })])));
    it("names the Service, its type and the allowlist entry that would admit it", async () => {
        expectViolations(await runRule("no-exposed-services", [k.service("a", "web", { type: "NodePort" })]), 1,
            "Service a/web is type NodePort, which exposes it outside the cluster", `Fix: set spec.type: ClusterIP and publish it through an Ingress, or add "a/web" to exposedServiceAllowlist`);
        expectClean(await runRule("no-exposed-services", [k.service("a", "web", { type: "NodePort" })], { exposedServiceAllowlist: ["a/*"] }));
    });
    it("a Helm release: namespace/name, each exposed value, and the allowlist", async () => {
        const rel = k.release("grafana-release", { name: "grafana", namespace: "monitoring", chart: "grafana", values: { service: { type: "LoadBalancer" }, admin: { service: { type: "NodePort" } } } });
        const r = await runRule("no-exposed-services", [rel]);
        expectViolations(r, 2, "Helm release monitoring/grafana sets values.");
        assert.ok(violations(r).some((v) => v.message.includes("values.admin.service.type: NodePort, which exposes a Service outside the cluster. Fix: set values.admin.service.type: ClusterIP")));
        expectClean(await runRule("no-exposed-services", [rel], { exposedServiceAllowlist: ["monitoring/grafana"] }));
    });
});

describe("helm-chart-pinned: versions", () => {
    const cases: [string, boolean][] = [
        ["1.2.3", true], ["v1.19.1", true], ["1.2.3-rc.1", true], ["1.2.3+build.5", true], ["1.2.3-rc.1+build", true],
        ["1.2", false], ["^1.2.3", false], ["~1.2.3", false], ["1.2.x", false], ["01.2.3", false], ["", false], ["latest", false], [">=1.0.0", false],
    ];
    for (const [version, exact] of cases) it(`"${version}" is ${exact ? "" : "not "}exact`, () => assert.equal(EXACT_VERSION.test(version), exact));
});

describe("helm-chart-pinned: the rule", () => {
    const rel = (props: Record<string, unknown>) => k.release("r", props);
    it("an exact version with surrounding spaces is still exact", async () => expectClean(await runRule("helm-chart-pinned", [rel({ chart: "oci://x/c", version: " 1.2.3 " })])));
    it("a range, or no version: each with its own words", async () => {
        expectViolations(await runRule("helm-chart-pinned", [rel({ chart: "oci://x/c", version: "^1.2" })]), 1, `chart oci://x/c version "^1.2" is not an exact version`, `Fix: set version to an exact release of oci://x/c, e.g. "1.2.3"`);
        expectViolations(await runRule("helm-chart-pinned", [rel({ chart: "oci://x/c" })]), 1, "chart oci://x/c has no version (Helm would install whatever is newest)");
    });
    it("a chart name needs a repository; an oci:// reference carries its own", async () => {
        expectViolations(await runRule("helm-chart-pinned", [rel({ chart: "cert-manager", version: "1.2.3", repositoryOpts: { repo: " " } })]), 1,
            "chart cert-manager has no repository", "or reference it as oci://<registry>/<path>/cert-manager");
        expectClean(await runRule("helm-chart-pinned", [rel({ chart: "cert-manager", version: "1.2.3", repositoryOpts: { repo: "https://charts.jetstack.io" } })]));
    });
    it("no chart: a violation; no inputs at all: undecided", async () => {
        expectViolations(await runRule("helm-chart-pinned", [rel({ version: "1.2.3" })]), 1, "no chart is set. Fix: set chart to the chart's name in its repository");
        const r = await runRule("helm-chart-pinned", [rel({})]);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "no inputs visible");
    });
});
