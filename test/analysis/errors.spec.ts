/** Invalid objects get an AnalysisError naming the object and the field, as the API server would reject them. */
import * as assert from "assert";
import { AnalysisError, analyze, loadObjects, LoadError, parseProbe } from "../../policy-pack/analysis";
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
