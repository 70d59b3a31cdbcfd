/** Invalid objects get an AnalysisError naming the object and the field, as the API server would reject them. */
import * as assert from "assert";
import { AnalysisError, analyze, loadObjects, LoadError, parseProbe } from "../../policy-pack/analysis";
import type { AnalyzerOptions, Probe } from "../../policy-pack/analysis";
import { cnp, np, Obj, pod } from "./helpers";

const policy = (spec: Obj): Obj => np("shop", "bad", { podSelector: {}, ...spec });
const ing = (rule: Obj): Obj => policy({ ingress: [rule] });

const invalid: { name: string; object: Obj; field: string; reason: RegExp; options?: { dataplane: "cilium" } }[] = [
    { name: "bad CIDR", object: ing({ from: [{ ipBlock: { cidr: "10.0.0.300/8" } }] }), field: "spec.ingress[0].from[0].ipBlock.cidr", reason: /invalid CIDR/ },
    { name: "CIDR without prefix length", object: ing({ from: [{ ipBlock: { cidr: "10.0.0.1" } }] }), field: "spec.ingress[0].from[0].ipBlock.cidr", reason: /invalid CIDR/ },
    { name: "except outside the block", object: ing({ from: [{ ipBlock: { cidr: "10.0.0.0/16", except: ["10.1.0.0/24"] } }] }), field: "spec.ingress[0].from[0].ipBlock.except[0]", reason: /strict subset/ },
    { name: "except equal to the block", object: ing({ from: [{ ipBlock: { cidr: "10.0.0.0/16", except: ["10.0.0.0/16"] } }] }), field: "spec.ingress[0].from[0].ipBlock.except[0]", reason: /strict subset/ },
    { name: "ipBlock with a selector in one peer", object: ing({ from: [{ ipBlock: { cidr: "10.0.0.0/8" }, podSelector: {} }] }), field: "spec.ingress[0].from[0]", reason: /ipBlock together/ },
    { name: "empty peer", object: ing({ from: [{}] }), field: "spec.ingress[0].from[0]", reason: /must specify a peer/ },
    { name: "unknown operator", object: policy({ podSelector: { matchExpressions: [{ key: "app", operator: "Equals", values: ["x"] }] } }), field: "spec.podSelector.matchExpressions[0].operator", reason: /unknown operator "Equals"/ },
    { name: "In without values", object: policy({ podSelector: { matchExpressions: [{ key: "app", operator: "In" }] } }), field: "spec.podSelector.matchExpressions[0].values", reason: /non-empty/ },
    { name: "Exists with values", object: policy({ podSelector: { matchExpressions: [{ key: "app", operator: "Exists", values: ["x"] }] } }), field: "spec.podSelector.matchExpressions[0].values", reason: /must be empty/ },
    { name: "label value that is not a string", object: policy({ podSelector: { matchLabels: { enabled: true } } }), field: 'spec.podSelector.matchLabels["enabled"]', reason: /must be strings/ },
    { name: "port name together with endPort", object: ing({ ports: [{ port: "http", endPort: 90 }] }), field: "spec.ingress[0].ports[0].endPort", reason: /named port/ },
    { name: "endPort below port", object: ing({ ports: [{ port: 90, endPort: 80 }] }), field: "spec.ingress[0].ports[0].endPort", reason: /greater than or equal/ },
    { name: "endPort without port", object: ing({ ports: [{ endPort: 80 }] }), field: "spec.ingress[0].ports[0].endPort", reason: /port is not specified/ },
    { name: "quoted port number", object: ing({ ports: [{ port: "80" }] }), field: "spec.ingress[0].ports[0].port", reason: /neither a port number nor a valid port name/ },
    { name: "port out of range", object: ing({ ports: [{ port: 70000 }] }), field: "spec.ingress[0].ports[0].port", reason: /between 1 and 65535/ },
    { name: "unknown protocol", object: ing({ ports: [{ port: 80, protocol: "ICMP" }] }), field: "spec.ingress[0].ports[0].protocol", reason: /unsupported protocol "ICMP"/ },
    { name: "unknown policy type", object: policy({ policyTypes: ["Ingress", "Sideways"] }), field: "spec.policyTypes[1]", reason: /unknown policy type/ },
    { name: "missing spec", object: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "bad", namespace: "shop" } }, field: "spec", reason: /required/ },
    { name: "pod with a bad container port", object: { ...pod("shop/p", {}), spec: { containers: [{ name: "c", ports: [{ containerPort: 0 }] }] } }, field: "spec.containers[0].ports[0].containerPort", reason: /between 1 and 65535/ },
    { name: "CNP unknown entity", object: cnp("shop", "bad", { endpointSelector: {}, egress: [{ toEntities: ["everything"] }] }), field: "spec.egress[0].toEntities[0]", reason: /unknown entity/, options: { dataplane: "cilium" } },
    { name: "CNP without endpointSelector", object: cnp("shop", "bad", { egress: [{ toEntities: ["world"] }] }), field: "spec.endpointSelector", reason: /required/, options: { dataplane: "cilium" } },
    { name: "CNP bad toCIDR", object: cnp("shop", "bad", { endpointSelector: {}, egress: [{ toCIDR: ["300.0.0.0/8"] }] }), field: "spec.egress[0].toCIDR[0]", reason: /invalid CIDR/, options: { dataplane: "cilium" } },
];

const meta = { name: "bad", namespace: "shop" };
const badPod = (spec: Obj, extra: Obj = {}): Obj => ({ apiVersion: "v1", kind: "Pod", metadata: { ...meta, ...extra }, spec });
const workload = (kind: string, spec?: Obj): Obj => ({ apiVersion: kind === "CronJob" ? "batch/v1" : "apps/v1", kind, metadata: meta, ...(spec ? { spec } : {}) });
const container = (c: Obj): Obj => ({ template: { metadata: {}, spec: { containers: [{ name: "c", ...c }] } } });

/** More of what the API server refuses, each at its own field (k8s.io/kubernetes pkg/apis/*\/validation). */
const invalidMore: { name: string; object: Obj; field: string; reason: RegExp; objectIs?: RegExp }[] = [
    { name: "a peer that is not an object", object: ing({ from: ["web"] }), field: "spec.ingress[0].from[0]", reason: /^must be an object$/ },
    { name: "an unknown peer field", object: ing({ from: [{ podSelectr: {} }] }), field: "spec.ingress[0].from[0].podSelectr", reason: /^unknown field \(a peer has podSelector, namespaceSelector or ipBlock\)$/ },
    { name: "an ipBlock that is not an object", object: ing({ from: [{ ipBlock: "10.0.0.0/8" }] }), field: "spec.ingress[0].from[0].ipBlock", reason: /^must be an object$/ },
    { name: "an ipBlock without a CIDR", object: ing({ from: [{ ipBlock: {} }] }), field: "spec.ingress[0].from[0].ipBlock.cidr", reason: /^is required$/ },
    { name: "a CIDR that is not a string", object: ing({ from: [{ ipBlock: { cidr: 10 } }] }), field: "spec.ingress[0].from[0].ipBlock.cidr", reason: /^must be a CIDR string, got 10$/ },
    { name: "a rule that is not an object", object: policy({ ingress: ["all"] }), field: "spec.ingress[0]", reason: /^must be an object$/ },
    { name: "an unknown ingress rule field", object: ing({ form: [] }), field: "spec.ingress[0].form", reason: /^unknown field \(an ingress rule has from and ports\)$/ },
    { name: "an egress rule with from", object: policy({ policyTypes: ["Egress"], egress: [{ from: [] }] }), field: "spec.egress[0].from", reason: /^unknown field \(an egress rule has to and ports\)$/ },
    { name: "a port entry that is not an object", object: ing({ ports: [80] }), field: "spec.ingress[0].ports[0]", reason: /^must be an object$/ },
    { name: "a policy type listed twice", object: policy({ policyTypes: ["Ingress", "Ingress"] }), field: "spec.policyTypes[1]", reason: /^duplicate value "Ingress"$/ },
    { name: "an old apiVersion", object: { ...policy({}), apiVersion: "extensions/v1beta1" }, field: "apiVersion", reason: /^expected networking\.k8s\.io\/v1, got "extensions\/v1beta1"$/ },
    { name: "a policy without a name", object: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { namespace: "shop" }, spec: { podSelector: {} } }, field: "metadata.name", reason: /^is required$/, objectIs: /^NetworkPolicy shop\/<unnamed>$/ },
    { name: "a policy without metadata", object: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", spec: { podSelector: {} } }, field: "metadata", reason: /^is required$/, objectIs: /^NetworkPolicy <unnamed>$/ },
    { name: "pod labels that are not a map", object: badPod({ containers: [] }, { labels: "app=web" }), field: "metadata.labels", reason: /^must be a map of strings$/ },
    { name: "a pod label that is not a string", object: badPod({ containers: [] }, { labels: { replicas: 1 } }), field: 'metadata.labels["replicas"]', reason: /^label values must be strings, got 1 \(number\); quote it$/ },
    { name: "containers that are not a list", object: badPod({ containers: "c" }), field: "spec.containers", reason: /^must be a list$/ },
    { name: "a container that is not an object", object: badPod({ containers: ["c"] }), field: "spec.containers[0]", reason: /^must be an object$/ },
    { name: "an init container port that is not an object", object: badPod({ containers: [], initContainers: [{ name: "i", ports: ["80"] }] }), field: "spec.initContainers[0].ports[0]", reason: /^must be an object$/ },
    { name: "a port name that is not an IANA service name", object: badPod({ containers: [{ name: "c", ports: [{ name: "HTTP_1", containerPort: 80 }] }] }), field: "spec.containers[0].ports[0].name", reason: /^invalid port name "HTTP_1" \(IANA service name/ },
    { name: "a pod IP that is not an address", object: { ...badPod({ containers: [] }), status: { podIP: "10.0.0.300" } }, field: "status.podIP", reason: /^invalid IP address "10\.0\.0\.300"$/ },
    { name: "a second pod IP that is not an address", object: { ...badPod({ containers: [] }), status: { podIPs: [{ ip: "10.0.0.1" }, { ip: "nope" }] } }, field: "status.podIPs[1].ip", reason: /^invalid IP address "nope"$/ },
    { name: "a Deployment without a spec", object: workload("Deployment"), field: "spec", reason: /^is required$/, objectIs: /^Deployment shop\/bad$/ },
    { name: "a Deployment without a pod template", object: workload("Deployment", {}), field: "spec.template", reason: /^is required$/, objectIs: /^Deployment shop\/bad$/ },
    { name: "a bad container in a Deployment", object: workload("Deployment", container({ ports: [{ containerPort: 0 }] })), field: "spec.template.spec.containers[0].ports[0].containerPort", reason: /between 1 and 65535/, objectIs: /^Deployment shop\/bad$/ },
    { name: "a CronJob without a job spec", object: workload("CronJob", { schedule: "* * * * *", jobTemplate: {} }), field: "spec.jobTemplate.spec", reason: /^is required$/, objectIs: /^CronJob shop\/bad$/ },
    { name: "a CronJob without a pod template", object: workload("CronJob", { jobTemplate: { spec: {} } }), field: "spec.jobTemplate.spec.template", reason: /^is required$/, objectIs: /^CronJob shop\/bad$/ },
    { name: "a bad container in a CronJob", object: workload("CronJob", { jobTemplate: { spec: container({ ports: [{ containerPort: 70000 }] }) } }), field: "spec.jobTemplate.spec.template.spec.containers[0].ports[0].containerPort", reason: /between 1 and 65535/, objectIs: /^CronJob shop\/bad$/ },
    { name: "a selector that is not an object", object: policy({ podSelector: "app=web" }), field: "spec.podSelector", reason: /^must be a label selector object$/ },
    { name: "an unknown selector field", object: policy({ podSelector: { matchLabel: {} } }), field: "spec.podSelector.matchLabel", reason: /^unknown field \(a label selector has matchLabels and matchExpressions\)$/ },
    { name: "matchLabels that are not a map", object: policy({ podSelector: { matchLabels: ["app"] } }), field: "spec.podSelector.matchLabels", reason: /^must be a map of label keys to string values$/ },
    { name: "an invalid label key", object: policy({ podSelector: { matchLabels: { "bad key": "x" } } }), field: 'spec.podSelector.matchLabels["bad key"]', reason: /^invalid label key "bad key"$/ },
    { name: "an invalid label value", object: policy({ podSelector: { matchLabels: { app: "-x" } } }), field: 'spec.podSelector.matchLabels["app"]', reason: /^invalid label value "-x"$/ },
    { name: "matchExpressions that are not a list", object: policy({ podSelector: { matchExpressions: {} } }), field: "spec.podSelector.matchExpressions", reason: /^must be a list$/ },
    { name: "an expression that is not an object", object: policy({ podSelector: { matchExpressions: ["app"] } }), field: "spec.podSelector.matchExpressions[0]", reason: /^must be an object with key, operator and values$/ },
    { name: "an expression without a key", object: policy({ podSelector: { matchExpressions: [{ operator: "Exists" }] } }), field: "spec.podSelector.matchExpressions[0].key", reason: /^is required$/ },
    { name: "an expression with an empty key", object: policy({ podSelector: { matchExpressions: [{ key: "", operator: "Exists" }] } }), field: "spec.podSelector.matchExpressions[0].key", reason: /^is required$/ },
    { name: "an unknown operator, listing the four", object: policy({ podSelector: { matchExpressions: [{ key: "a", operator: "in", values: ["x"] }] } }), field: "spec.podSelector.matchExpressions[0].operator", reason: /^unknown operator "in": must be one of In, NotIn, Exists, DoesNotExist$/ },
    { name: "values that are not a list", object: policy({ podSelector: { matchExpressions: [{ key: "a", operator: "In", values: "x" }] } }), field: "spec.podSelector.matchExpressions[0].values", reason: /^must be a list of strings$/ },
    { name: "a value that is not a string", object: policy({ podSelector: { matchExpressions: [{ key: "a", operator: "In", values: [1] }] } }), field: "spec.podSelector.matchExpressions[0].values[0]", reason: /^must be a string, got 1$/ },
    { name: "an invalid value", object: policy({ podSelector: { matchExpressions: [{ key: "a", operator: "In", values: ["ok", "-x"] }] } }), field: "spec.podSelector.matchExpressions[0].values[1]", reason: /^invalid label value "-x"$/ },
    { name: "NotIn without values", object: policy({ podSelector: { matchExpressions: [{ key: "a", operator: "NotIn", values: [] }] } }), field: "spec.podSelector.matchExpressions[0].values", reason: /^must be non-empty when operator is NotIn$/ },
    { name: "DoesNotExist with values", object: policy({ podSelector: { matchExpressions: [{ key: "a", operator: "DoesNotExist", values: ["x"] }] } }), field: "spec.podSelector.matchExpressions[0].values", reason: /^must be empty when operator is DoesNotExist$/ },
    { name: "an invalid expression key", object: policy({ podSelector: { matchExpressions: [{ key: "bad key", operator: "Exists" }] } }), field: "spec.podSelector.matchExpressions[0].key", reason: /^invalid label key "bad key"$/ },
];

describe("analysis: more invalid input, each at its field", () => {
    for (const c of invalidMore) {
        it(`rejects ${c.name}`, () => {
            assert.throws(() => analyze([c.object]), (e: unknown) => {
                assert.ok(e instanceof AnalysisError, `AnalysisError, got ${String(e)}`);
                assert.match(e.object, c.objectIs ?? /^(NetworkPolicy|Pod) shop\/bad$/);
                assert.strictEqual(e.field, c.field);
                assert.match(e.reason, c.reason);
                return true;
            });
        });
    }

    it("loadObjects names a List item that is not an object, and an object without a kind", () => {
        assert.throws(() => loadObjects('{"kind":"List","items":[{"kind":"Pod"},"x"]}', "l.json"), (e: unknown) => e instanceof LoadError && e.message === "l.json document 1 item 2: expected a Kubernetes object, got string");
        assert.throws(() => loadObjects("---\nkind: Pod\n---\nmetadata: {name: x}\n", "k.yaml"), (e: unknown) => e instanceof LoadError && e.message === 'k.yaml document 2: missing "kind"');
        assert.throws(() => loadObjects("a: *nope\n", "alias.yaml"), (e: unknown) => e instanceof LoadError && /^alias\.yaml document 1: /.test(e.message));
        assert.throws(() => loadObjects("7\n", "n.yaml"), (e: unknown) => e instanceof LoadError && / got number$/.test(e.message));
        assert.throws(() => loadObjects("- 1\n", "l.yaml"), (e: unknown) => e instanceof LoadError && / got a list$/.test(e.message));
    });
});

describe("analysis: invalid input", () => {
    for (const c of invalid) {
        it(`rejects ${c.name}, naming the object and the field`, () => {
            assert.throws(
                () => analyze([c.object], c.options),
                (e: unknown) => {
                    assert.ok(e instanceof AnalysisError, `AnalysisError, got ${String(e)}`);
                    assert.match(e.object, /(NetworkPolicy|CiliumNetworkPolicy|Pod) shop\/(bad|p)/);
                    assert.strictEqual(e.field, c.field);
                    assert.match(e.reason, c.reason);
                    assert.ok(e.message.includes(c.field));
                    return true;
                },
            );
        });
    }

    it("names the file and document of a loaded object", () => {
        const objects = loadObjects("kind: Namespace\nmetadata: {name: x}\n---\n" + "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec:\n  podSelector: {}\n  ingress: [{from: [{ipBlock: {cidr: nope}}]}]\n", "dump.yaml");
        assert.throws(() => analyze(objects), /NetworkPolicy x\/p \(dump\.yaml document 2\): spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: invalid CIDR "nope"/);
    });

    it("loadObjects: YAML errors name the source and the document index", () => {
        assert.throws(() => loadObjects("kind: Namespace\nmetadata: {name: x}\n---\nkind: Pod\nmetadata:\n  name: a\n   namespace: b\n", "f.yaml"), (e: unknown) => e instanceof LoadError && /^f\.yaml document 2: /.test(e.message));
        assert.throws(() => loadObjects("- 1\n- 2\n", "list.yaml"), /list\.yaml document 1: expected a Kubernetes object/);
    });

    it("loadObjects flattens List kinds and skips empty documents", () => {
        const objs = loadObjects('---\n---\n{"kind":"List","items":[{"kind":"Namespace","metadata":{"name":"a"}},{"kind":"PodList","items":[{"kind":"Pod","metadata":{"name":"p"}}]}]}\n', "x.json");
        assert.deepStrictEqual(objs.map((o) => (o as { kind: string }).kind), ["Namespace", "Pod"]);
    });

    it("bad externals and unknown endpoints are clear errors", () => {
        assert.throws(() => analyze([], { externals: { x: "not-an-ip" } }), /externals\["x"\]: invalid CIDR or IP/);
        const a = analyze([pod("a/web", {})]);
        assert.throws(() => a.canReach("a/web", "a/nope", { port: 80, protocol: "TCP" }), /unknown destination endpoint "a\/nope"/);
    });

    it("names an unknown endpoint with the endpoints of the same name, and refuses a malformed probe object", () => {
        const a = analyze([pod("a/web", {}), pod("b/web", {}), pod("a/db", {})]);
        assert.throws(() => a.canReach("c/web", "a/db", { port: 80, protocol: "TCP" }), (e: unknown) => e instanceof Error && e.message === 'unknown source endpoint "c/web"; did you mean a/web, b/web? (pods are "namespace/name")');
        assert.throws(() => a.canReach("a/web", "x/nothing", { port: 80, protocol: "TCP" }), (e: unknown) => e instanceof Error && e.message === 'unknown destination endpoint "x/nothing" (pods are "namespace/name")');
        for (const bad of [{ port: 0, protocol: "TCP" }, { port: 80.5, protocol: "TCP" }, { port: 70000, protocol: "TCP" }, { port: 80, protocol: "ICMP" }]) {
            assert.throws(() => a.canReach("a/web", "a/db", bad as Probe), /^Error: invalid probe .*: expected \{ port: 1-65535, protocol: TCP\|UDP\|SCTP \}$/, JSON.stringify(bad));
        }
        assert.deepStrictEqual(parseProbe("8080"), { port: 8080, protocol: "TCP" }, "TCP when no protocol is given");
    });

    it("parseProbe", () => {
        assert.deepStrictEqual(parseProbe("443/TCP"), { port: 443, protocol: "TCP" });
        assert.deepStrictEqual(parseProbe("53/udp"), { port: 53, protocol: "UDP" });
        assert.deepStrictEqual(parseProbe("3868/SCTP"), { port: 3868, protocol: "SCTP" });
        assert.throws(() => parseProbe("443/ICMP"), /protocol must be TCP, UDP or SCTP/);
        assert.throws(() => parseProbe("http"), /expected PORT\/PROTOCOL/);
        assert.throws(() => parseProbe("0/TCP"), /between 1 and 65535/);
    });

    it("objects of other kinds are ignored; hostNetwork pods are left out with a note", () => {
        const a = analyze([{ kind: "ConfigMap", metadata: { name: "c" } }, { ...pod("a/h", {}), spec: { hostNetwork: true, containers: [] } }]);
        assert.deepStrictEqual(a.endpoints, []);
        assert.ok(a.notes.some((n) => /host networking/.test(n)));
    });
});

/** Inputs refused before or beside any policy: Namespace objects, CiliumNetworkPolicy defaults, the options. */
const refused: { name: string; objects: unknown; options?: AnalyzerOptions; object: string; field: string; reason: string }[] = [
    { name: "a Namespace without metadata", objects: [{ apiVersion: "v1", kind: "Namespace" }], object: "Namespace <unnamed>", field: "metadata", reason: "is required" },
    { name: "a Namespace without a name", objects: [{ apiVersion: "v1", kind: "Namespace", metadata: { labels: {} } }], object: "Namespace <unnamed>", field: "metadata.name", reason: "is required" },
    { name: "Namespace labels that are not a map", objects: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", labels: ["team"] } }], object: "Namespace shop", field: "metadata.labels", reason: "must be a map of strings" },
    { name: "a Namespace label that is not a string", objects: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", labels: { team: 1 } } }], object: "Namespace shop", field: 'metadata.labels["team"]', reason: "label values must be strings, got 1 (number); quote it" },
    { name: "enableDefaultDeny that is not an object", objects: [cnp("shop", "bad", { endpointSelector: {}, enableDefaultDeny: true })], options: { dataplane: "cilium" }, object: "CiliumNetworkPolicy shop/bad", field: "spec.enableDefaultDeny", reason: "must be an object with ingress and egress booleans" },
    { name: "enableDefaultDeny.egress that is not a boolean", objects: [cnp("shop", "bad", { endpointSelector: {}, enableDefaultDeny: { ingress: true, egress: "no" } })], options: { dataplane: "cilium" }, object: "CiliumNetworkPolicy shop/bad", field: "spec.enableDefaultDeny.egress", reason: "must be a boolean" },
    { name: "an unknown dataplane", objects: [], options: { dataplane: "calico" as "cilium" }, object: "options", field: "dataplane", reason: 'must be "kubernetes" or "cilium", got "calico"' },
    { name: "objects that are not a list", objects: "kind: Pod", object: "input", field: "objects", reason: "must be a list of Kubernetes objects" },
    { name: "a null object", objects: [null], object: "object 1", field: "", reason: "expected a Kubernetes object, got null" },
    { name: "a list in place of an object", objects: [pod("shop/p", {}), []], object: "object 2", field: "", reason: "expected a Kubernetes object, got a list" },
    { name: "a string in place of an object", objects: ["Pod"], object: "object 1", field: "", reason: "expected a Kubernetes object, got string" },
    { name: "an API server address that is not one", objects: [], options: { dataplane: "cilium", apiServerIps: ["10.0.0.1", "api"] }, object: "options", field: "apiServerIps[1]", reason: 'invalid IP or CIDR "api"' },
    { name: "an outside endpoint named like a pod", objects: [pod("shop/p", {})], options: { externals: { "shop/p": "203.0.113.9" } }, object: "options", field: 'externals["shop/p"]', reason: "the name is already used by another endpoint" },
    { name: "an outside endpoint named remote-node on Cilium", objects: [], options: { dataplane: "cilium", externals: { "remote-node": "10.1.0.4" } }, object: "options", field: 'externals["remote-node"]', reason: "the name is already used by another endpoint" },
];

describe("analysis: refused inputs and options", () => {
    for (const c of refused) {
        it(`refuses ${c.name}`, () => {
            assert.throws(() => analyze(c.objects as unknown[], c.options), (e: unknown) => {
                assert.ok(e instanceof AnalysisError, `AnalysisError, got ${String(e)}`);
                assert.deepStrictEqual([e.object, e.field, e.reason], [c.object, c.field, c.reason]);
                return true;
            });
        });
    }

    it("takes the API server's address from an outside endpoint of its name on Cilium, once", () => {
        const a = analyze([], { dataplane: "cilium", externals: { "kube-apiserver": "10.1.0.4" } });
        assert.deepStrictEqual(a.endpoints.find((e) => e.id === "kube-apiserver")?.ips, ["10.1.0.4"]);
        assert.strictEqual(a.endpoints.filter((e) => e.id === "kube-apiserver").length, 1);
    });
});

