/** The offline plan's pure parts, on small inputs whose answers can be worked out by hand. */
import * as assert from "assert";
import type { PlanResource } from "../policy-pack/plan-resource";
import { countByType, renderTree } from "../plan/tree";
import { applyOrder, HELM_RELEASE, isManifest, manifestOf } from "../plan/manifests";
import { platformPods, podObjects } from "../plan/workloads";
import { stackPlatformConfig } from "../plan/stack-config";
import { azureMonitor, certManager, istioCsr, nginxIngress } from "../components/facts";
import { externalEndpoints, probesFor, renderEndpointsFile, reachability, Reachability, renderReachabilityMermaid, renderReachabilityTable } from "../plan/reachability";
import { managedNamespaces } from "../components/kubernetes/namespace-specs";
import { stackRun } from "./support/runs";
import { runProgram } from "../plan/program";
import { ANSWERED_INVOKES, azureResourceId, createdResource, invokeAnswer, kubernetesResourceId, MOCK_SUBSCRIPTION_ID, MOCK_TENANT_ID, mockGuid, UnansweredInvokeError } from "../plan/answers";
import { parse as parseYaml, parseAllDocuments } from "yaml";

function res(name: string, extra: Partial<PlanResource> = {}): PlanResource {
    return { type: "t:m:T", name, urn: `urn:${name}`, props: {}, dependencies: [], propertyDependencies: {}, protect: false, custom: true, ...extra };
}

describe("offline plan parts", () => {
    describe("the resource tree (as `pulumi preview` draws it)", () => {
        it("draws children under their parent, the last with a corner, and carries a deeper level's bar", () => {
            const tree = renderTree([
                res("a"),
                res("b", { parent: "urn:a" }),
                res("c", { parent: "urn:a", protect: true }),
                res("d", { parent: "urn:b" }),
                res("e", { parent: "urn:gone" }),
            ]);
            assert.deepStrictEqual(tree.split("\n"), [
                "t:m:T  a",
                "├─ t:m:T  b",
                "│  └─ t:m:T  d",
                "└─ t:m:T  c [protected]",
                "t:m:T  e",
                "",
            ], "a resource whose parent is not captured is drawn as a root");
        });

        it("indents under a last child with spaces, not a bar", () => {
            const lines = renderTree([res("a"), res("b", { parent: "urn:a" }), res("c", { parent: "urn:b" }), res("d", { parent: "urn:c" })]).split("\n");
            assert.deepStrictEqual(lines.slice(1, 4), ["└─ t:m:T  b", "   └─ t:m:T  c", "      └─ t:m:T  d"]);
        });

        it("counts resources by type, most first, ties by name", () => {
            const rs = [res("1", { type: "b" }), res("2", { type: "a" }), res("3", { type: "c" }), res("4", { type: "c" })];
            assert.deepStrictEqual(countByType(rs), [["c", 2], ["a", 1], ["b", 1]]);
        });
    });

    describe("manifests", () => {
        it("are the custom Kubernetes resources with a kind, not Helm releases, providers or components", () => {
            const k8s = { type: "kubernetes:core/v1:Namespace", props: { kind: "Namespace" } };
            assert.strictEqual(isManifest(res("ns", k8s)), true);
            assert.strictEqual(isManifest(res("comp", { ...k8s, custom: false })), false);
            assert.strictEqual(isManifest(res("rel", { type: HELM_RELEASE, props: { kind: "Release" } })), false);
            assert.strictEqual(isManifest(res("prov", { type: "pulumi:providers:kubernetes", props: { kind: "x" } })), false);
            assert.strictEqual(isManifest(res("nokind", { type: "kubernetes:core/v1:Namespace" })), false);
            assert.strictEqual(isManifest(res("az", { type: "azure-native:network:VirtualNetwork", props: { kind: "x" } })), false);
        });

        it("write apiVersion, kind and metadata first, keeping every other field", () => {
            const m = manifestOf(res("p", { props: { spec: { a: 1 }, metadata: { name: "x" }, kind: "Pod", apiVersion: "v1" } }));
            assert.deepStrictEqual(Object.keys(m), ["apiVersion", "kind", "metadata", "spec"]);
            assert.deepStrictEqual(m.spec, { a: 1 });
        });

        it("are applied after what they depend on, a component dependency meaning all its descendants, ties in registration order", () => {
            const order = applyOrder([
                res("app", { dependencies: ["urn:comp"] }),
                res("comp", { custom: false }),
                res("inner", { parent: "urn:comp", dependencies: ["urn:base"] }),
                res("deep", { parent: "urn:inner" }),
                res("base"),
                res("self", { dependencies: ["urn:self", "urn:unknown"] }),
                res("loop1", { dependencies: ["urn:loop2"] }),
                res("loop2", { dependencies: ["urn:loop1"] }),
            ]).map((r) => r.name);
            const before = (a: string, b: string): boolean => order.indexOf(a) < order.indexOf(b);
            assert.strictEqual(order.length, 8, "each resource once, a cycle included");
            assert.ok(before("inner", "app") && before("deep", "app") && before("comp", "app"), order.join(" "));
            assert.ok(before("base", "inner"), order.join(" "));
            assert.deepStrictEqual(order.slice(0, 5), ["comp", "base", "inner", "deep", "app"]);
            assert.deepStrictEqual(order.slice(5), ["self", "loop2", "loop1"]);
        });
    });

    describe("the chart and system pods the matrix evaluates", () => {
        it("adds istio-csr and one istiod per mesh namespace only when istio-csr is on, and the Azure collector only in azure mode", () => {
            const dev = stackPlatformConfig("dev");
            const names = (c: typeof dev): string[] => platformPods(c).map((p) => `${p.namespace}/${p.name}`);
            const plain = names({ ...dev, istioCsr: { enabled: false, meshNamespaces: ["istio-system"] }, monitoring: { ...dev.monitoring, mode: "prometheus-operator" } });
            assert.ok(!plain.some((n) => n.startsWith(`${istioCsr.namespace}/`) || n.endsWith("/istiod") || n.startsWith(`${azureMonitor.namespace}/ama-`)), plain.join(" "));
            const mesh = names({ ...dev, istioCsr: { enabled: true, meshNamespaces: ["istio-system", "mesh-b"] }, monitoring: { ...dev.monitoring, mode: "azure" } });
            assert.deepStrictEqual(mesh.filter((n) => !plain.includes(n)), [`${istioCsr.namespace}/cert-manager-istio-csr`, "istio-system/istiod", "mesh-b/istiod", `${azureMonitor.namespace}/ama-metrics`]);
            const prom = platformPods({ ...dev, monitoring: { ...dev.monitoring, namespace: "obs", podLabels: { app: "prom" } } }).find((p) => p.name === "prometheus");
            assert.deepStrictEqual([prom?.namespace, prom?.labels], ["obs", { app: "prom" }]);
        });

        it("gives each cert-manager pod the chart's labels, the release's instance label and its container ports (facts.ts, read from the chart's templates)", () => {
            const pods = platformPods(stackPlatformConfig("dev"));
            const pod = (name: string) => {
                const p = pods.find((x) => x.name === name);
                assert.ok(p, name);
                return p;
            };
            const instance = { "app.kubernetes.io/instance": certManager.releaseName };
            assert.deepStrictEqual(pod("cert-manager-controller").labels, { ...certManager.podLabels.controller, ...instance, ...certManager.workloadIdentityUseLabel });
            assert.deepStrictEqual(pod("cert-manager-controller").ports, [certManager.ports.metrics, certManager.ports.controllerHealthz]);
            assert.deepStrictEqual(pod("cert-manager-webhook").labels, { ...certManager.podLabels.webhook, ...instance });
            assert.deepStrictEqual(pod("cert-manager-webhook").ports, [certManager.ports.webhookServing, certManager.ports.webhookHealthz, certManager.ports.metrics]);
            assert.deepStrictEqual(pod("cert-manager-cainjector").labels, { ...certManager.podLabels.cainjector, ...instance });
            assert.deepStrictEqual(pod("cert-manager-cainjector").ports, [certManager.ports.metrics]);
            assert.deepStrictEqual(pod("cert-manager-startupapicheck").labels, { ...certManager.podLabels.startupApiCheck, ...instance });
            assert.deepStrictEqual(pod("nginx-ingress-controller").labels, nginxIngress.podLabels(nginxIngress.releaseName));
            assert.deepStrictEqual(pod("prometheus").ports, [{ name: "web", port: 9090, protocol: "TCP" }], "Prometheus's web port (prometheus-operator's default)");
            const mesh = platformPods({ ...stackPlatformConfig("dev"), istioCsr: { enabled: true, meshNamespaces: ["istio-system"] } });
            assert.deepStrictEqual(mesh.find((p) => p.name === "cert-manager-istio-csr")?.ports, [istioCsr.ports.grpc, istioCsr.ports.metrics]);
            assert.deepStrictEqual(mesh.find((p) => p.name === "istiod")?.labels, { app: "istiod" }, "istiod's pods carry app: istiod (istio's discovery chart)");
        });

        it("writes each as a Pod with its labels and container ports, as kubectl shows one", () => {
            const [pod] = podObjects([{ namespace: "ns", name: "p", labels: { a: "b" }, ports: [{ name: "web", port: 8080, protocol: "TCP" }] }]);
            assert.deepStrictEqual(pod, {
                apiVersion: "v1",
                kind: "Pod",
                metadata: { name: "p", namespace: "ns", labels: { a: "b" } },
                spec: { containers: [{ name: "p", ports: [{ name: "web", containerPort: 8080, protocol: "TCP" }] }] },
            });
        });
    });

    describe("the reachability matrix's inputs and pages", () => {
        const dev = stackPlatformConfig("dev");
        const shop = { name: "shop", image: "r.example.com/s:1", port: 8443, host: "shop.x", certificate: "wildcard" as const, replicas: 1, egress: [{ cidr: "10.20.0.0/24", port: 5432, protocol: "TCP" as const }, { cidr: "10.30.0.0/16", port: 53, protocol: "UDP" as const }] };

        it("names a public client, each resolver, and the first address of each app egress range", () => {
            const ext = externalEndpoints({ ...dev, acme: { ...dev.acme, recursiveNameservers: ["1.1.1.1:53", "9.9.9.9:53"] }, apps: [shop] });
            assert.deepStrictEqual(ext, { internet: "203.0.113.10", "resolver-1.1.1.1": "1.1.1.1", "resolver-9.9.9.9": "9.9.9.9", "shop-egress-1": "10.20.0.1", "shop-egress-2": "10.30.0.1" });
        });

        it("probes the platform's ports, 6443 only with istio-csr, and each app's port and egress ports once", () => {
            const keys = (c: typeof dev): string[] => probesFor(c).map((p) => `${p.port}/${p.protocol}`);
            const base = keys({ ...dev, apps: [], istioCsr: { enabled: false, meshNamespaces: [] } });
            assert.ok(!base.includes("6443/TCP"));
            assert.ok(keys({ ...dev, apps: [], istioCsr: { enabled: true, meshNamespaces: ["istio-system"] } }).includes("6443/TCP"));
            const withApps = keys({ ...dev, apps: [shop, { ...shop, name: "b" }], istioCsr: { enabled: false, meshNamespaces: [] } });
            assert.deepStrictEqual(withApps.filter((k) => !base.includes(k)), ["8443/TCP", "5432/TCP"], "53/UDP is a platform probe already; each probe once");
            assert.strictEqual(new Set(withApps).size, withApps.length);
        });

        it("writes endpoints.yaml as a commented header with the netpol command, then one document per modelled pod", () => {
            const text = renderEndpointsFile(dev, "dev", ["--dataplane", "cilium"]);
            const lines = text.split("\n");
            assert.match(lines[0], /^# The pods the offline plan of stack dev models besides the stack's own workloads/);
            assert.ok(lines.slice(0, 4).every((l) => l.startsWith("# ")), lines.slice(0, 4).join("\n"));
            assert.strictEqual(lines[3], "#   npm run -s netpol -- explain out/dev/endpoints.yaml out/dev/manifests.yaml --dataplane cilium --from FROM --to TO --port PORT/PROTOCOL");
            assert.strictEqual(lines[4], "---");
            const docs = parseAllDocuments(text);
            assert.strictEqual(docs.length, podObjects(platformPods(dev)).length);
            assert.deepStrictEqual(docs[0].toJS(), podObjects(platformPods(dev))[0]);
        });

        const r: Reachability = {
            probes: [{ port: 443, protocol: "TCP" }, { port: 53, protocol: "UDP" }],
            endpoints: [{ id: "a/x", kind: "workload", namespace: "a" }, { id: "b/y", kind: "workload", namespace: "b" }, { id: "internet", kind: "external" }, { id: "dns", kind: "external" }],
            managed: ["a/x", "b/y"],
            allowed: [
                { from: "a/x", to: "b/y", probes: ["443/TCP", "53/UDP"] },
                { from: "a/x", to: "a/x", probes: ["443/TCP"] },
                { from: "internet", to: "dns", probes: ["53/UDP"] },
                { from: "internet", to: "b/y", probes: ["443/TCP"] },
            ],
            inconclusive: [{ from: "b/y", to: "internet", probes: ["443/TCP"] }],
            warnings: ["w: cannot evaluate"],
            namespaces: {},
            netpolArgs: [],
        };

        it("tables the open pairs with a managed side (not an endpoint to itself), counting the pairs there are", () => {
            const lines = renderReachabilityTable(r).split("\n");
            assert.strictEqual(lines[0], "Probes: 443/TCP, 53/UDP. 2 managed workloads, 2 other endpoints.");
            // 2 managed: 2*1 ordered pairs among them, plus 2*2*2 with an other endpoint.
            assert.strictEqual(lines[1], "2 of the 10 ordered pairs with a managed workload on one side have an open probe, 1 an inconclusive one; every pair not listed is closed on every probe.");
            assert.deepStrictEqual(lines.slice(2), [
                "",
                "| from | to | open |",
                "| --- | --- | --- |",
                "| a/x | b/y | 443/TCP, 53/UDP |",
                "| internet | b/y | 443/TCP |",
                "",
                "Inconclusive (the analyzer cannot decide them):",
                "",
                "| from | to | probes |",
                "| --- | --- | --- |",
                "| b/y | internet | 443/TCP |",
                "",
                "Warnings:",
                "",
                "- w: cannot evaluate",
                "",
            ]);
            // 3 managed: 3*2 ordered pairs among them, plus 2*3*1 with the one other endpoint.
            const three = renderReachabilityTable({ ...r, endpoints: [...r.endpoints.slice(0, 3), { id: "c/z", kind: "workload", namespace: "c" }], managed: ["a/x", "b/y", "c/z"] });
            assert.match(three.split("\n")[1], /^2 of the 12 ordered pairs /);
            const quiet = renderReachabilityTable({ ...r, inconclusive: [], warnings: [] });
            assert.ok(!/nconclusive|Warnings/.test(quiet), quiet);
            assert.match(quiet, /have an open probe; every pair/);
        });

        it("draws one Mermaid edge per open pair shown, each endpoint declared once", () => {
            const lines = renderReachabilityMermaid(r).split("\n");
            assert.deepStrictEqual(lines, [
                "flowchart LR",
                '    e0["a/x"]',
                '    e1["b/y"]',
                '    e2["internet"]',
                '    e0 -->|"443/TCP, 53/UDP"| e1',
                '    e2 -->|"443/TCP"| e1',
                "",
            ]);
        });
    });

    describe("the matrix's summaries (dev stack)", () => {
        it("lists only pairs with a managed side, and sums each namespace's open and inconclusive cells across its border", async () => {
            const config = stackPlatformConfig("dev");
            const m = reachability(config, (await stackRun("dev")).resources);
            const managedNs = new Set(managedNamespaces(config).map((n) => n.name));
            const nsOf = new Map(m.endpoints.map((e) => [e.id, e.namespace]));
            assert.deepStrictEqual(m.managed, m.endpoints.filter((e) => e.namespace !== undefined && managedNs.has(e.namespace)).map((e) => e.id));
            const managed = new Set(m.managed);
            for (const c of [...m.allowed, ...m.inconclusive]) assert.ok(managed.has(c.from) || managed.has(c.to), `${c.from} -> ${c.to}`);
            assert.ok(m.allowed.length > 0 && m.endpoints.some((e) => e.namespace === undefined), "the dev stack has open cells and outside endpoints");
            for (const [ns, sum] of Object.entries(m.namespaces)) {
                const crossing = (dir: "from" | "to"): number =>
                    m.allowed.filter((c) => nsOf.get(c[dir]) === ns && nsOf.get(c[dir === "from" ? "to" : "from"]) !== ns).reduce((n, c) => n + c.probes.length, 0);
                assert.deepStrictEqual(sum, {
                    endpoints: m.endpoints.filter((e) => e.namespace === ns).length,
                    allowedIn: crossing("to"),
                    allowedOut: crossing("from"),
                    inconclusive: m.inconclusive.filter((c) => nsOf.get(c.from) === ns || nsOf.get(c.to) === ns).reduce((n, c) => n + c.probes.length, 0),
                }, ns);
            }
            assert.ok(Object.values(m.namespaces).some((s) => s.allowedIn > 0) && Object.values(m.namespaces).some((s) => s.allowedOut > 0));
            assert.deepStrictEqual(m.netpolArgs.slice(0, 4), ["--dataplane", "cilium", "--external", "internet=203.0.113.10"]);
            assert.deepStrictEqual(m.netpolArgs.filter((a) => a !== "--external").slice(2), Object.entries(externalEndpoints(config)).map(([k, v]) => `${k}=${v}`));
        });
    });

    describe("the captured program run", () => {
        it("records ignoreChanges only where a resource sets it, drops undefined inputs, and restores the stack trace limit it lowers", async () => {
            const limit = Error.stackTraceLimit;
            const run = await runProgram("dev");
            assert.strictEqual(Error.stackTraceLimit, limit, "the runtime's stack traces are back on after the run");
            const withIgnore = run.resources.filter((r) => "ignoreChanges" in r);
            assert.ok(withIgnore.length > 0 && withIgnore.length < run.resources.length / 4, `${withIgnore.length} of ${run.resources.length}`);
            for (const r of withIgnore) assert.ok((r.ignoreChanges ?? []).length > 0, `${r.type} ${r.name}: an empty ignoreChanges is not recorded`);
            const undefinedAt = (v: unknown, at: string): string[] => {
                if (Array.isArray(v)) return v.flatMap((x, i) => undefinedAt(x, `${at}[${i}]`));
                if (typeof v !== "object" || v === null) return [];
                return Object.entries(v).flatMap(([k, x]) => (x === undefined ? [`${at}.${k}`] : undefinedAt(x, `${at}.${k}`)));
            };
            assert.deepStrictEqual(run.resources.flatMap((r) => undefinedAt(r.props, r.name)), [], "an input left undefined is absent, as the engine sees it");
            assert.ok(run.resources.every((r) => r.custom || Object.keys(r.props).length === 0), "components have no inputs recorded");
        });
    });

    describe("what the mocks answer (shaped like the real APIs')", () => {
        it("derives stable version-4 GUIDs, one per seed", () => {
            assert.match(mockGuid("a"), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
            assert.strictEqual(mockGuid("a"), mockGuid("a"));
            assert.notStrictEqual(mockGuid("a"), mockGuid("b"));
        });

        // ARM resource ids: /subscriptions/{id}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}[/{child type}/{child name}]
        // (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules; REST API reference of each type).
        it("gives each Azure resource its ARM id: provider namespace, type path and names from the inputs", () => {
            const sub = `/subscriptions/${MOCK_SUBSCRIPTION_ID}`;
            const rg = `${sub}/resourceGroups/g/providers`;
            const cases: [string, Record<string, unknown>, string][] = [
                ["azure-native:resources:ResourceGroup", { resourceGroupName: "g" }, `${sub}/resourceGroups/g`],
                ["azure-native:network:VirtualNetwork", { resourceGroupName: "g", virtualNetworkName: "v" }, `${rg}/Microsoft.Network/virtualNetworks/v`],
                ["azure-native:network:Subnet", { resourceGroupName: "g", virtualNetworkName: "v", subnetName: "s" }, `${rg}/Microsoft.Network/virtualNetworks/v/subnets/s`],
                ["azure-native:network:PublicIPAddress", { resourceGroupName: "g", publicIpAddressName: "ip" }, `${rg}/Microsoft.Network/publicIPAddresses/ip`],
                ["azure-native:containerservice:ManagedCluster", { resourceGroupName: "g", resourceName: "c" }, `${rg}/Microsoft.ContainerService/managedClusters/c`],
                ["azure-native:dns:Zone", { resourceGroupName: "g", zoneName: "z.example.com" }, `${rg}/Microsoft.Network/dnszones/z.example.com`],
                ["azure-native:dns:RecordSet", { resourceGroupName: "g", zoneName: "z.example.com", recordType: "CAA", relativeRecordSetName: "@" }, `${rg}/Microsoft.Network/dnszones/z.example.com/CAA/@`],
                ["azure-native:managedidentity:UserAssignedIdentity", { resourceGroupName: "g", resourceName: "id" }, `${rg}/Microsoft.ManagedIdentity/userAssignedIdentities/id`],
                ["azure-native:managedidentity:FederatedIdentityCredential", { resourceGroupName: "g", resourceName: "id", federatedIdentityCredentialResourceName: "f" }, `${rg}/Microsoft.ManagedIdentity/userAssignedIdentities/id/federatedIdentityCredentials/f`],
                ["azure-native:authorization:RoleAssignment", { scope: `${rg}/Microsoft.Network/dnszones/z` }, `${rg}/Microsoft.Network/dnszones/z/providers/Microsoft.Authorization/roleAssignments/${mockGuid("ra")}`],
            ];
            for (const [type, inputs, id] of cases) assert.strictEqual(azureResourceId(type, inputs, "ra"), id, type);
            // Without a name input, the logical name; without a resource group, a placeholder one.
            assert.strictEqual(azureResourceId("azure-native:network:VirtualNetwork", { virtualNetworkName: "" }, "logical"), `${sub}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/logical`);
        });

        it("adds what Azure computes on create: cluster FQDN and OIDC issuer, identity ids, zone name servers, a public IP", () => {
            const cluster = createdResource("azure-native:containerservice:ManagedCluster", { resourceGroupName: "g", resourceName: "c", dnsPrefix: "p", location: "eastus2", identity: { type: "SystemAssigned" } }, "cl").state;
            assert.match(String(cluster.fqdn), /^p-[0-9a-f]{8}\.hcp\.eastus2\.azmk8s\.io$/);
            assert.strictEqual(cluster.nodeResourceGroup, "MC_g_c_eastus2");
            assert.match(String((cluster.oidcIssuerProfile as { issuerURL: string }).issuerURL), /^https:\/\/eastus2\.oic\.prod-aks\.azure\.com\/[0-9a-f-]{36}\/[0-9a-f-]{36}\/$/);
            assert.deepStrictEqual(Object.keys(cluster.identity as object).sort(), ["principalId", "tenantId", "type"]);
            const ip = String(createdResource("azure-native:network:PublicIPAddress", { publicIpAddressName: "ip" }, "ip").state.ipAddress);
            assert.match(ip, /^20\.(\d+)\.(\d+)\.(\d+)$/);
            assert.ok(ip.split(".").every((o) => Number(o) <= 255) && Number(ip.split(".")[3]) >= 1);
            const zone = createdResource("azure-native:dns:Zone", { zoneName: "z.example.com" }, "z").state;
            assert.strictEqual((zone.nameServers as string[]).length, 4);
            for (const ns of zone.nameServers as string[]) assert.match(ns, /^ns[1-4]-0\d\.azure-dns\.(com|net|org|info)\.$/);
            const identity = createdResource("azure-native:managedidentity:UserAssignedIdentity", { resourceName: "id" }, "id").state;
            assert.notStrictEqual(identity.clientId, identity.principalId);
        });

        it("fills a missing parent name with a placeholder segment, never an empty one, and gives a role assignment without a scope the tenant-level id", () => {
            const sub = `/subscriptions/${MOCK_SUBSCRIPTION_ID}`;
            const cases: [string, Record<string, unknown>, RegExp][] = [
                ["azure-native:network:Subnet", { subnetName: "s" }, /\/virtualNetworks\/[^/]+\/subnets\/s$/],
                ["azure-native:dns:RecordSet", { relativeRecordSetName: "www" }, /\/dnszones\/[^/]+\/[A-Z]+\/www$/],
                ["azure-native:managedidentity:FederatedIdentityCredential", { federatedIdentityCredentialResourceName: "f" }, /\/userAssignedIdentities\/[^/]+\/federatedIdentityCredentials\/f$/],
            ];
            for (const [type, inputs, shape] of cases) {
                const id = azureResourceId(type, inputs, "logical");
                assert.ok(id.startsWith(`${sub}/resourceGroups/`) && shape.test(id) && !id.includes("//"), id);
            }
            assert.strictEqual(azureResourceId("azure-native:authorization:RoleAssignment", {}, "ra"), `/providers/Microsoft.Authorization/roleAssignments/${mockGuid("ra")}`);
            assert.strictEqual(azureResourceId("azure-native:cdn:Profile", {}, "p"), "p-id");
        });

        it("gives every created Azure resource its own ids (seeded by its name), its name output, and a cluster's state as ARM reports it", () => {
            const cluster = (name: string): Record<string, unknown> => createdResource("azure-native:containerservice:ManagedCluster", { resourceName: "c" }, name).state;
            const [a, b] = [cluster("a"), cluster("b")];
            const ids = (s: Record<string, unknown>): string[] => [String((s.oidcIssuerProfile as { issuerURL: string }).issuerURL).split("/")[4], String((s.identity as { principalId: string }).principalId)];
            assert.strictEqual(new Set([...ids(a), ...ids(b)]).size, 4, "issuer and principal differ, per cluster and from each other");
            assert.deepStrictEqual([a.provisioningState, (a.oidcIssuerProfile as { enabled: boolean }).enabled, a.name], ["Succeeded", true, "c"]);
            // Without a location or group input, a real region and a group segment still make a valid FQDN and MC_ group name.
            assert.match(String(a.fqdn), /^c-[0-9a-f]{8}\.hcp\.[a-z0-9]+\.azmk8s\.io$/);
            assert.match(String(a.nodeResourceGroup), /^MC_[^_]+_c_[a-z0-9]+$/);
            const identity = (name: string): Record<string, unknown> => createdResource("azure-native:managedidentity:UserAssignedIdentity", { resourceName: name }, name).state;
            const [x, y] = [identity("x"), identity("y")];
            assert.strictEqual(new Set([x.clientId, x.principalId, y.clientId, y.principalId]).size, 4);
            assert.deepStrictEqual([x.name, x.tenantId], ["x", MOCK_TENANT_ID]);
            assert.strictEqual(createdResource("azure-native:network:VirtualNetwork", { virtualNetworkName: "v" }, "l").state.name, "v");
            assert.strictEqual(createdResource("azure-native:network:VirtualNetwork", {}, "l").state.name, "l");
            assert.strictEqual(createdResource("azure-native:network:Subnet", { subnetName: "s" }, "l").state.name, "s");
            assert.strictEqual(createdResource("azure-native:network:Subnet", {}, "l").state.name, "l");
            assert.strictEqual(kubernetesResourceId("kubernetes:core/v1:Namespace", { metadata: null }, "l"), "l", "a null metadata is no metadata");
        });

        it("answers getClientConfig with the tenant and subscription, and a distinct client and object id", () => {
            const c = invokeAnswer("azure-native:authorization:getClientConfig", {}, "test");
            assert.deepStrictEqual([c.subscriptionId, c.tenantId], [MOCK_SUBSCRIPTION_ID, MOCK_TENANT_ID]);
            assert.match(String(c.clientId), /^[0-9a-f-]{36}$/);
            assert.notStrictEqual(c.clientId, c.objectId);
        });

        /**
         * The user kubeconfig AKS returns: format "exec" runs kubelogin get-token with flags kubelogin documents
         * (Azure/kubelogin docs/book/src/cli/get-token.md: --environment, --server-id, --client-id, --tenant-id,
         * --login with methods devicecode, interactive, spn, ropc, msi, azurecli, workloadidentity); the exec
         * stanza's fields are client-go's (kubernetes.io/docs/reference/access-authn-authz/authentication/,
         * interactiveMode Never, IfAvailable or Always). Any other format is the legacy `azure` auth-provider.
         */
        it("answers listManagedClusterUserCredentials with a kubeconfig whose context, cluster and user resolve, in the format asked for", () => {
            interface Kubeconfig {
                apiVersion: string; kind: string; "current-context": string;
                clusters: { name: string; cluster: { server: string; "certificate-authority-data"?: string } }[];
                contexts: { name: string; context: { cluster: string; user: string } }[];
                users: { name: string; user: { exec?: { apiVersion: string; command: string; args: string[]; interactiveMode: string; provideClusterInfo: boolean }; "auth-provider"?: { name: string; config: Record<string, string> } } }[];
            }
            const answer = (inputs: Record<string, unknown>): Kubeconfig => {
                const r = invokeAnswer("azure-native:containerservice:listManagedClusterUserCredentials", inputs, "test") as { kubeconfigs: { name: string; value: string }[] };
                assert.strictEqual(r.kubeconfigs[0].name, "clusterUser");
                return parseYaml(Buffer.from(r.kubeconfigs[0].value, "base64").toString("utf8")) as Kubeconfig;
            };
            const resolve = (k: Kubeconfig, name = "aks-1"): Kubeconfig["users"][number]["user"] => {
                assert.deepStrictEqual([k.apiVersion, k.kind], ["v1", "Config"]);
                const context = k.contexts.find((c) => c.name === k["current-context"]);
                assert.ok(context, "the current context exists");
                const cluster = k.clusters.find((c) => c.name === context.context.cluster);
                assert.ok(cluster, "the context's cluster exists");
                assert.match(cluster.cluster.server, new RegExp(`^https://${name}-[0-9a-f]{8}\\.hcp\\.[a-z0-9]+\\.azmk8s\\.io:443$`));
                const user = k.users.find((u) => u.name === context.context.user);
                assert.ok(user && user.name.startsWith("clusterUser_"), "the context's user exists, named as AKS names it");
                return user.user;
            };
            const exec = answer({ resourceName: "aks-1", format: "exec" });
            assert.ok(Buffer.from(exec.clusters[0].cluster["certificate-authority-data"] ?? "", "base64").length > 0, "a CA bundle");
            const e = resolve(exec).exec;
            assert.ok(e, "an exec user");
            assert.deepStrictEqual([e.apiVersion, e.command, e.args[0]], ["client.authentication.k8s.io/v1beta1", "kubelogin", "get-token"]);
            const flags = new Map<string, string>();
            for (let i = 1; i < e.args.length; i += 2) flags.set(e.args[i], e.args[i + 1]);
            assert.deepStrictEqual([...flags.keys()].sort(), ["--client-id", "--environment", "--login", "--server-id", "--tenant-id"]);
            for (const f of ["--client-id", "--server-id", "--tenant-id"]) assert.match(flags.get(f) ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, f);
            assert.ok(["AzurePublicCloud", "AzureChinaCloud", "AzureUSGovernmentCloud"].includes(flags.get("--environment") ?? ""));
            assert.ok(["devicecode", "interactive", "spn", "ropc", "msi", "azurecli", "workloadidentity"].includes(flags.get("--login") ?? ""));
            assert.ok(["Never", "IfAvailable", "Always"].includes(e.interactiveMode));
            assert.strictEqual(e.provideClusterInfo, false);

            const legacy = resolve(answer({ resourceName: "aks-1" }))["auth-provider"];
            assert.ok(legacy, "no format: the auth-provider user");
            assert.strictEqual(legacy.name, "azure");
            assert.deepStrictEqual([legacy.config["apiserver-id"], legacy.config["tenant-id"]], [flags.get("--server-id"), MOCK_TENANT_ID], "the same server app id in both formats");
            assert.ok(resolve(answer({}), "[a-z0-9-]+")["auth-provider"], "without a cluster name, a placeholder one");
        });

        it("fails an invoke it has no answer for, naming the token, the place and the ones it answers", () => {
            assert.throws(() => invokeAnswer("azure-native:network:getVirtualNetwork", {}, "the plan"), (e: unknown) => {
                assert.ok(e instanceof UnansweredInvokeError);
                assert.strictEqual(e.name, "UnansweredInvokeError");
                assert.strictEqual(e.token, "azure-native:network:getVirtualNetwork");
                assert.strictEqual(e.message, `the plan: no answer for invoke azure-native:network:getVirtualNetwork; add one to plan/answers.ts (answered: ${ANSWERED_INVOKES[0]}, ${ANSWERED_INVOKES[1]})`);
                return true;
            });
        });

        it("gives a Kubernetes object the API's id (namespace/name, or name when cluster-scoped) and an empty status", () => {
            assert.strictEqual(kubernetesResourceId("kubernetes:core/v1:ConfigMap", { metadata: { namespace: "ns", name: "cm" } }, "l"), "ns/cm");
            assert.strictEqual(kubernetesResourceId("kubernetes:core/v1:Namespace", { metadata: { name: "ns" } }, "l"), "ns");
            assert.strictEqual(kubernetesResourceId("kubernetes:core/v1:Namespace", {}, "l"), "l");
            assert.strictEqual(kubernetesResourceId("kubernetes:helm.sh/v3:Release", { namespace: "cm", name: "rel" }, "l"), "cm/rel");
            assert.strictEqual(kubernetesResourceId("kubernetes:helm.sh/v3:Release", {}, "l"), "default/l");
            assert.deepStrictEqual(createdResource("kubernetes:core/v1:Namespace", { metadata: { name: "ns" } }, "l").state, { metadata: { name: "ns" }, status: {} });
            assert.deepStrictEqual(createdResource("random:index:RandomId", { a: 1 }, "r"), { id: "r-id", state: { a: 1 } });
        });
    });
});
