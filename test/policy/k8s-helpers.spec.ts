/**
 * The rules' readers (policy-pack/rules/lib/k8s.ts), one by one: label-selector semantics as the
 * API server defines them (k8s.io/apimachinery pkg/labels/selector.go: matchLabels and every
 * expression must hold; NotIn and DoesNotExist match a missing label; an unknown operator is
 * invalid), the names rules give resources in messages, and the defaults of the Kubernetes provider
 * (an object or Helm release without a namespace lands in `default`).
 */
import * as assert from "assert";
import { UnknownValueError } from "../../policy-pack/rules/lib/rule";
import {
    arr, chartName, get, helmNamespace, isAzureType, matchesPattern, namespaceOf, obj, parsePortProto, podTemplateOf, ResourceLike,
    selectorMatches, selectsAll, strMap, subjectOf, T, UNKNOWN_SENTINELS, unknownPaths, withUnknowns,
} from "../../policy-pack/rules/lib/k8s";
import { UNKNOWN } from "./helpers";

const res = (type: string, props: Record<string, unknown>, name = "r"): ResourceLike => ({ type, name, urn: `urn:${name}`, props });

describe("rules' readers (lib/k8s.ts)", () => {
    it("reads paths safely: a missing, null or scalar step gives undefined", () => {
        assert.strictEqual(get({ a: { b: [1, { c: 2 }] } }, "a", "b", 1, "c"), 2);
        assert.strictEqual(get({ a: null }, "a", "b"), undefined);
        assert.strictEqual(get({ a: "text" }, "a", "length"), undefined);
        assert.strictEqual(get(undefined, "a"), undefined);
        assert.deepStrictEqual(arr("x"), []);
        assert.deepStrictEqual(obj([1]), {});
        assert.deepStrictEqual(strMap({ a: "1", b: 2, c: null }), { a: "1" });
    });

    it("matches selectors as the API server does", () => {
        const labels = { app: "web", tier: "front" };
        const expr = (operator: string, key: string, values?: string[]): unknown => ({ matchExpressions: [{ key, operator, values }] });
        assert.strictEqual(selectorMatches({}, labels), true, "the empty selector selects everything");
        assert.strictEqual(selectorMatches(undefined, labels), false, "no selector is not the empty selector");
        assert.strictEqual(selectorMatches({ matchLabels: { app: "web" } }, labels), true);
        assert.strictEqual(selectorMatches({ matchLabels: { app: "web", tier: "back" } }, labels), false, "every matchLabels entry must hold");
        assert.strictEqual(selectorMatches(expr("In", "app", ["db", "web"]), labels), true);
        assert.strictEqual(selectorMatches(expr("In", "zone", ["a"]), labels), false, "In needs the label");
        assert.strictEqual(selectorMatches(expr("NotIn", "app", ["web"]), labels), false);
        assert.strictEqual(selectorMatches(expr("NotIn", "zone", ["a"]), labels), true, "NotIn matches a missing label");
        assert.strictEqual(selectorMatches(expr("NotIn", "app", ["db"]), labels), true, "NotIn matches another value");
        assert.strictEqual(selectorMatches(expr("Exists", "tier"), labels), true);
        assert.strictEqual(selectorMatches(expr("Exists", "zone"), labels), false);
        assert.strictEqual(selectorMatches(expr("DoesNotExist", "zone"), labels), true);
        assert.strictEqual(selectorMatches(expr("DoesNotExist", "app"), labels), false);
        assert.strictEqual(selectorMatches(expr("Gt", "app", ["1"]), labels), false, "an unknown operator selects nothing");
        assert.strictEqual(selectorMatches({ matchLabels: { app: "web" }, ...(expr("In", "tier", ["back"]) as object) }, labels), false, "labels AND expressions");
        assert.strictEqual(selectsAll({}), true);
        assert.strictEqual(selectsAll({ matchLabels: {}, matchExpressions: [] }), true);
        assert.strictEqual(selectsAll({ matchLabels: { a: "b" } }), false);
        assert.strictEqual(selectsAll(expr("Exists", "a")), false);
        assert.strictEqual(selectsAll(undefined), false);
    });

    it("matches allowlist patterns whole, `*` as any text and `.` as itself", () => {
        assert.strictEqual(matchesPattern("team-a/web", ["team-*/web"]), true);
        assert.strictEqual(matchesPattern("team-a/web", ["team-a/we"]), false, "anchored at the end");
        assert.strictEqual(matchesPattern("xteam-a/web", ["team-a/web"]), false, "anchored at the start");
        assert.strictEqual(matchesPattern("a.b/c", ["a.b/c"]), true);
        assert.strictEqual(matchesPattern("axb/c", ["a.b/c"]), false, "a dot is not a regex wildcard");
        assert.strictEqual(matchesPattern("a+b/(c)", ["a+b/(c)"]), true);
        assert.strictEqual(matchesPattern("any/thing", ["*"]), true);
        assert.strictEqual(matchesPattern("x", []), false);
    });

    it("names resources in messages by kind, namespace and name, and Helm releases by release", () => {
        const np = res(T.networkPolicy, { kind: "NetworkPolicy", metadata: { name: "deny", namespace: "apps" } }, "deny-np");
        assert.deepStrictEqual(subjectOf(np), { urn: "urn:deny-np", label: 'NetworkPolicy apps/deny (resource "deny-np")' });
        assert.strictEqual(subjectOf(res(T.namespace, { kind: "Namespace", metadata: { name: "apps", namespace: "x" } }, "ns")).label, 'Namespace apps (resource "ns")', "cluster-scoped: no namespace");
        assert.strictEqual(subjectOf(res(T.clusterIssuer, { kind: "ClusterIssuer", metadata: { name: "le" } }, "ci")).label, 'ClusterIssuer le (resource "ci")');
        assert.strictEqual(subjectOf(res(T.networkPolicy, { kind: "NetworkPolicy", metadata: { name: "deny" } }, "n")).label, 'NetworkPolicy deny (resource "n")');
        assert.strictEqual(subjectOf(res("kubernetes:apps/v1:Deployment", { metadata: { name: UNKNOWN } }, "web")).label, 'Deployment "web"', "unknown name: the logical one, kind from the type");
        assert.strictEqual(subjectOf(res("azure-native:dns:Zone", {}, "zone")).label, 'Zone "zone"');
        assert.strictEqual(subjectOf(res("azure-native:dns:Zone", { metadata: { name: "z" } }, "zone")).label, 'Zone "zone"', "only Kubernetes objects are named by metadata");
        assert.strictEqual(subjectOf(res("kubernetes:example.com/v1:Widget", { kind: "Gadget", metadata: { name: "g", namespace: "n" } }, "w")).label, 'Gadget n/g (resource "w")', "the object's own kind first");
        assert.strictEqual(subjectOf(res(T.helmRelease, { name: "cm", namespace: "cert-manager" }, "rel")).label, 'Helm release cert-manager/cm (resource "rel")');
        assert.strictEqual(subjectOf(res(T.helmChartV4, {}, "chart")).label, 'Helm chart default/chart (resource "chart")');
    });

    it("reads a workload's pod template, a CronJob's under its job template", () => {
        const tpl = { metadata: { labels: { app: "x" } }, spec: { containers: [] } };
        assert.deepStrictEqual(podTemplateOf(res("kubernetes:apps/v1:Deployment", { spec: { template: tpl } })), { labels: { app: "x" }, spec: { containers: [] } });
        assert.deepStrictEqual(podTemplateOf(res("kubernetes:batch/v1:CronJob", { spec: { jobTemplate: { spec: { template: tpl } } } })), { labels: { app: "x" }, spec: { containers: [] } });
        assert.deepStrictEqual(podTemplateOf(res(T.pod, { metadata: { labels: { app: "p" } }, spec: { hostNetwork: true } })), { labels: { app: "p" }, spec: { hostNetwork: true } });
        assert.strictEqual(podTemplateOf(res(T.service, { spec: {} })), undefined);
    });

    it("puts an object or release without a namespace in default, and names a chart by its last path part", () => {
        assert.strictEqual(namespaceOf(res(T.service, { metadata: { name: "s" } })), "default");
        assert.strictEqual(namespaceOf(res(T.service, { metadata: { namespace: "apps" } })), "apps");
        assert.strictEqual(helmNamespace(res(T.helmRelease, {})), "default");
        assert.strictEqual(helmNamespace(res(T.helmRelease, { namespace: "ingress" })), "ingress");
        assert.strictEqual(chartName(res(T.helmRelease, { chart: "oci://ghcr.io/nginx/charts/nginx-ingress" })), "nginx-ingress");
        assert.strictEqual(chartName(res(T.helmRelease, { chart: "cert-manager" })), "cert-manager");
        assert.strictEqual(chartName(res(T.helmRelease, {})), "");
    });

    it("parses PORT/PROTOCOL probes, case-insensitive, and refuses anything else with the expected form", () => {
        assert.deepStrictEqual(parsePortProto(" 443/tcp "), { port: 443, protocol: "TCP" });
        assert.deepStrictEqual(parsePortProto("53/UDP"), { port: 53, protocol: "UDP" });
        assert.deepStrictEqual(parsePortProto("9/sctp"), { port: 9, protocol: "SCTP" });
        for (const bad of ["443", "443/ICMP", "123456/TCP", "x443/TCP", "443/TCPx"]) assert.throws(() => parsePortProto(bad), /bad probe .*expected PORT\/PROTOCOL, e\.g\. 443\/TCP/, bad);
    });

    it("knows azure-native types with or without an API version", () => {
        assert.strictEqual(isAzureType("azure-native:dns:Zone", "dns", "Zone"), true);
        assert.strictEqual(isAzureType("azure-native:dns/v20180501:Zone", "dns", "Zone"), true);
        assert.strictEqual(isAzureType("azure-native:dns:RecordSet", "dns", "Zone"), false);
        assert.strictEqual(isAzureType("azure-native:network:Zone", "dns", "Zone"), false);
        assert.strictEqual(isAzureType("azure:dns:Zone", "dns", "Zone"), false);
        assert.strictEqual(isAzureType("xazure-native:dns:Zone", "dns", "Zone"), false, "anchored at the start");
        assert.strictEqual(isAzureType("azure-native:dns:Zone:x", "dns", "Zone"), false, "anchored at the end");
    });

    it("reads through the runtime's proxy, a getter at a time, when it cannot get the raw object", () => {
        const unknownGetter = { get x(): unknown { throw new UnknownValueError(UNKNOWN, [".x"]); }, y: [1, UNKNOWN], n: null };
        assert.deepStrictEqual(unknownPaths(withUnknowns(unknownGetter)), [".x", ".y.1"]);
        assert.strictEqual(get(withUnknowns(unknownGetter), "n"), null);
        const broken = { get x(): unknown { throw new RangeError("bug"); } };
        assert.throws(() => withUnknowns(broken), RangeError, "only unknown values are caught");
        // With the proxy's special key, the raw target is read once (@pulumi/policy proxy.js getSpecialProxyTarget).
        const target = { spec: { host: UNKNOWN } };
        const proxied = { __getSpecialProxyTarget: target, get spec(): unknown { throw new Error("read through the target, not the proxy"); } };
        assert.deepStrictEqual(unknownPaths(withUnknowns(proxied)), [".spec.host"]);
        assert.deepStrictEqual(unknownPaths(withUnknowns({ __getSpecialProxyTarget: "not an object", a: UNKNOWN })), [".a"], "a special key that is not an object is plain data");
        assert.strictEqual(withUnknowns(5), 5);
    });

    it("marks every unknown sentinel with its path, in plain data", () => {
        const copy = withUnknowns({ spec: { ingress: [{ from: [{ ipBlock: { cidr: UNKNOWN } }] }], n: 3 } });
        assert.deepStrictEqual(unknownPaths(copy), [".spec.ingress.0.from.0.ipBlock.cidr"]);
        assert.strictEqual(get(copy, "spec", "n"), 3);
        for (const s of UNKNOWN_SENTINELS) assert.deepStrictEqual(unknownPaths(withUnknowns([s], ".x")), [".x.0"], s);
    });
});
