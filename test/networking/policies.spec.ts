/**
 * Pure-function tests of flows → policies. Expected selectors and ports come from the facts
 * module (the charts' real labels and ports) and from issue 5's requirements, not from flows.ts.
 */
import * as assert from "assert";
import {
    azureMonitor,
    apps as appFacts,
    certManager,
    kubeSystem,
    NAMESPACE_NAME_LABEL,
    nginxIngress,
    PRIVATE_IPV4_RANGES,
    AZURE_PLATFORM_ADDRESSES,
} from "../../components/facts";
import { PlatformConfig } from "../../components/config";
import { managedNamespaces } from "../../components/kubernetes/namespace-specs";
import { Flow, WorkloadEndpoint } from "../../components/networking/flows";
import {
    buildPolicies,
    NetworkPolicyObject,
    NetworkPolicyPeer,
    platformPolicies,
    PolicyObject,
} from "../../components/networking/policies";
import { ciliumPolicy, networkPolicy, STACKS, stackConfig } from "./support";
import { validateObject } from "../support/schema";

const CM = certManager.namespace;
const NGINX = nginxIngress.namespace;
const NGINX_LABELS = nginxIngress.podLabels(nginxIngress.releaseName);
const APISERVER_EGRESS = [{ toEntities: ["kube-apiserver"], toPorts: [{ ports: [{ port: "443", protocol: "TCP" }] }] }];

function peer(namespace: string, labels: Readonly<Record<string, string>>): NetworkPolicyPeer {
    return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } }, podSelector: { matchLabels: { ...labels } } };
}

/** Every policy that selects these pods (exact selector) in a direction. */
function selecting(policies: readonly PolicyObject[], namespace: string, labels: Readonly<Record<string, string>>, direction: "Ingress" | "Egress"): PolicyObject[] {
    const same = (a: Readonly<Record<string, string>> | undefined): boolean => JSON.stringify(a ?? {}) === JSON.stringify(labels);
    return policies.filter((p) => {
        if (p.metadata.namespace !== namespace) return false;
        if (p.kind === "NetworkPolicy") return same(p.spec.podSelector.matchLabels) && p.spec.policyTypes.includes(direction);
        return same(p.spec.endpointSelector.matchLabels) && (direction === "Ingress" ? p.spec.ingress !== undefined : p.spec.egress !== undefined);
    });
}

function assertMetricsFrom(p: NetworkPolicyObject, config: PlatformConfig, port: number, labels: Readonly<Record<string, string>>): void {
    assert.deepStrictEqual(p.spec.podSelector.matchLabels, labels);
    assert.deepStrictEqual(p.spec.policyTypes, ["Ingress"]);
    assert.deepStrictEqual(p.spec.ingress, [{ from: [peer(config.monitoring.namespace, config.monitoring.podLabels)], ports: [{ port, protocol: "TCP" }] }]);
    assert.strictEqual(p.spec.egress, undefined);
}

/** The metrics add-on's scrape policies (monitoring mode azure). */
const AMA_POLICIES = ["ama-metrics-to-cert-manager-controller-metrics", "ama-metrics-to-ingress-controller-metrics"];

describe("networking: policies per flow", () => {
    // Built per test, not when the file loads: StrykerJS then sees which tests run the builders.
    let dev: PlatformConfig;
    let devPolicies: PolicyObject[];
    let prod: PlatformConfig;
    let prodPolicies: PolicyObject[];
    beforeEach(() => {
        dev = stackConfig("dev");
        devPolicies = platformPolicies(dev);
        prod = stackConfig("prod");
        prodPolicies = platformPolicies(prod);
    });

    describe("baseline in every managed namespace", () => {
        for (const stack of STACKS) {
            it(`${stack}: cert-manager, ingress and every app namespace get default-deny and allow-dns`, () => {
                const config = stackConfig(stack);
                const policies = platformPolicies(config);
                const expected = [CM, NGINX, ...config.apps.map((a) => a.name)];
                assert.deepStrictEqual(managedNamespaces(config).map((n) => n.name).sort(), [...expected].sort());
                for (const ns of expected) {
                    const deny = networkPolicy(policies, ns, "default-deny");
                    assert.deepStrictEqual(deny.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] }, `${ns}: default-deny has no rules`);
                    const dns = networkPolicy(policies, ns, "allow-dns");
                    assert.deepStrictEqual(dns.spec, {
                        podSelector: {},
                        policyTypes: ["Egress"],
                        egress: [{
                            to: [peer(kubeSystem.namespace, kubeSystem.dnsPodLabels)],
                            ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }],
                        }],
                    });
                }
            });
        }

        it("nothing names kube-system except allow-dns (kube-dns) and, in azure monitoring mode, the metrics add-on's scrapes", () => {
            for (const p of prodPolicies) {
                if (!JSON.stringify(p.spec).includes(kubeSystem.namespace)) continue;
                assert.ok(["allow-dns", ...AMA_POLICIES].includes(p.metadata.name), `${p.metadata.namespace}/${p.metadata.name} names kube-system`);
            }
        });

        it("admits the metrics add-on's collector (kube-system, rsName: ama-metrics) to exactly the PodMonitor targets' metrics ports, in azure mode only", () => {
            const collector = peer(azureMonitor.namespace, azureMonitor.collectorPodLabels);
            const scrapes = prodPolicies.filter((p) => p.kind === "NetworkPolicy" && (p.spec.ingress ?? []).some((r) => JSON.stringify(r.from) === JSON.stringify([collector])));
            assert.deepStrictEqual(scrapes.map((p) => `${p.metadata.namespace}/${p.metadata.name} ${JSON.stringify(p.kind === "NetworkPolicy" ? p.spec.ingress?.[0]?.ports : [])}`).sort(), [
                `${CM}/ama-metrics-to-cert-manager-controller-metrics ${JSON.stringify([{ port: certManager.ports.metrics.port, protocol: "TCP" }])}`,
                `${NGINX}/ama-metrics-to-ingress-controller-metrics ${JSON.stringify([{ port: nginxIngress.ports.metrics.port, protocol: "TCP" }])}`,
            ].sort());
            assert.strictEqual(prod.monitoring.mode, "azure");
            assert.ok(!devPolicies.some((p) => AMA_POLICIES.includes(p.metadata.name)), "dev (monitoring mode none) has no collector flow");
        });
    });

    describe("cert-manager controller", () => {
        const labels = certManager.podLabels.controller;

        it("egress to the API server: a CiliumNetworkPolicy to the kube-apiserver entity on 443/TCP", () => {
            const p = ciliumPolicy(devPolicies, CM, "cert-manager-controller-to-apiserver");
            assert.deepStrictEqual(p.spec.endpointSelector.matchLabels, labels);
            assert.deepStrictEqual(p.spec.egress, APISERVER_EGRESS);
            assert.strictEqual(p.spec.ingress, undefined);
        });

        it("egress 443/TCP to public addresses only (0.0.0.0/0 minus the private ranges)", () => {
            const p = networkPolicy(devPolicies, CM, "cert-manager-controller-to-acme");
            assert.deepStrictEqual(p.spec.podSelector.matchLabels, labels);
            assert.deepStrictEqual(p.spec.policyTypes, ["Egress"]);
            assert.deepStrictEqual(p.spec.egress, [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...PRIVATE_IPV4_RANGES, ...AZURE_PLATFORM_ADDRESSES] } }], ports: [{ port: 443, protocol: "TCP" }] }]);
        });

        it("egress 53/UDP+TCP to the configured recursive nameservers only", () => {
            const p = networkPolicy(devPolicies, CM, "cert-manager-controller-to-recursive-dns");
            assert.deepStrictEqual(p.spec.podSelector.matchLabels, labels);
            assert.deepStrictEqual(p.spec.egress, [{
                to: dev.acme.recursiveNameservers.map((ns) => ({ ipBlock: { cidr: `${ns.split(":")[0]}/32` } })),
                ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }],
            }]);
        });

        it("nameservers on different ports get one policy per port, so no resolver is open on another's port", () => {
            const policies = platformPolicies(stackConfig("dev", { recursiveNameservers: JSON.stringify(["9.9.9.9:53", "203.0.113.53:5353"]) }));
            const p53 = networkPolicy(policies, CM, "cert-manager-controller-to-recursive-dns-53");
            const p5353 = networkPolicy(policies, CM, "cert-manager-controller-to-recursive-dns-5353");
            assert.deepStrictEqual(p53.spec.egress, [{ to: [{ ipBlock: { cidr: "9.9.9.9/32" } }], ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }] }]);
            assert.deepStrictEqual(p5353.spec.egress, [{ to: [{ ipBlock: { cidr: "203.0.113.53/32" } }], ports: [{ port: 5353, protocol: "UDP" }, { port: 5353, protocol: "TCP" }] }]);
        });

        it("ingress on the metrics port from the monitoring namespace's Prometheus pods only", () => {
            assertMetricsFrom(networkPolicy(devPolicies, CM, "monitoring-to-cert-manager-controller-metrics"), dev, certManager.ports.metrics.port, labels);
        });

        it("the metrics source follows the configured monitoring namespace and labels", () => {
            const config = stackConfig("dev", { monitoringNamespace: "observability", monitoringPodLabels: JSON.stringify({ "app.kubernetes.io/name": "vmagent" }) });
            const p = networkPolicy(platformPolicies(config), CM, "monitoring-to-cert-manager-controller-metrics");
            assert.deepStrictEqual(p.spec.ingress?.[0].from, [peer("observability", { "app.kubernetes.io/name": "vmagent" })]);
        });

        it("has egress to exactly the API server, public 443 and the resolvers (plus the namespace's DNS); never all egress", () => {
            const egress = selecting(devPolicies, CM, labels, "Egress").map((p) => p.metadata.name).sort();
            assert.deepStrictEqual(egress, ["cert-manager-controller-to-acme", "cert-manager-controller-to-apiserver", "cert-manager-controller-to-recursive-dns"]);
        });
    });

    describe("cert-manager webhook", () => {
        const labels = certManager.podLabels.webhook;
        const serving = [{ ports: [{ port: String(certManager.ports.webhookServing.port), protocol: "TCP" }] }];

        // On AKS the API server's calls arrive from the nodes: Cilium sees remote-node (host on the pod's own node),
        // never kube-apiserver (cilium/cilium issue 31711; Cilium docs "Entities based", note from PR 32464).
        it("ingress on the serving port from the remote-node and host identities only (the paths that cannot match are gone)", () => {
            for (const stack of STACKS) {
                const config = stackConfig(stack);
                const p = ciliumPolicy(platformPolicies(config), CM, "apiserver-to-cert-manager-webhook-admission");
                assert.deepStrictEqual(p.spec.endpointSelector.matchLabels, labels);
                assert.deepStrictEqual(p.spec.ingress, [{ fromEntities: ["remote-node", "host"], toPorts: serving }], stack);
                assert.strictEqual(p.spec.egress, undefined);
                const text = JSON.stringify(p.spec);
                for (const gone of ["kube-apiserver", "konnectivity", config.network.apiServerSubnetCidr]) assert.ok(!text.includes(gone), `${stack}: the webhook policy still names ${gone}`);
            }
        });

        it("webhookAllowAnySource opens the serving port (only) to any source instead", () => {
            const policies = platformPolicies(stackConfig("dev", { webhookAllowAnySource: "true" }));
            assert.ok(!policies.some((p) => p.metadata.name === "apiserver-to-cert-manager-webhook-admission"));
            const p = networkPolicy(policies, CM, "any-to-cert-manager-webhook-admission");
            assert.deepStrictEqual(p.spec.podSelector.matchLabels, labels);
            assert.deepStrictEqual(p.spec.ingress, [{ ports: [{ port: certManager.ports.webhookServing.port, protocol: "TCP" }] }]);
        });

        it("ingress metrics from monitoring; egress to the API server", () => {
            assertMetricsFrom(networkPolicy(devPolicies, CM, "monitoring-to-cert-manager-webhook-metrics"), dev, certManager.ports.metrics.port, labels);
            const p = ciliumPolicy(devPolicies, CM, "cert-manager-webhook-to-apiserver");
            assert.deepStrictEqual(p.spec.endpointSelector.matchLabels, labels);
            assert.deepStrictEqual(p.spec.egress, APISERVER_EGRESS);
        });
    });

    describe("cert-manager cainjector and startupapicheck", () => {
        it("cainjector: egress API server, ingress metrics from monitoring", () => {
            const labels = certManager.podLabels.cainjector;
            const p = ciliumPolicy(devPolicies, CM, "cert-manager-cainjector-to-apiserver");
            assert.deepStrictEqual(p.spec.endpointSelector.matchLabels, labels);
            assert.deepStrictEqual(p.spec.egress, APISERVER_EGRESS);
            assertMetricsFrom(networkPolicy(devPolicies, CM, "monitoring-to-cert-manager-cainjector-metrics"), dev, certManager.ports.metrics.port, labels);
        });

        it("startupapicheck (the post-install hook): egress API server, nothing else", () => {
            const labels = certManager.podLabels.startupApiCheck;
            const p = ciliumPolicy(devPolicies, CM, "cert-manager-startupapicheck-to-apiserver");
            assert.deepStrictEqual(p.spec.endpointSelector.matchLabels, labels);
            assert.deepStrictEqual(p.spec.egress, APISERVER_EGRESS);
            assert.deepStrictEqual(selecting(devPolicies, CM, labels, "Ingress"), []);
        });

        it("nothing in cert-manager accepts traffic except from the API server and monitoring", () => {
            for (const config of [dev, prod]) {
                for (const p of platformPolicies(config).filter((x) => x.metadata.namespace === CM)) {
                    if (p.kind === "CiliumNetworkPolicy") {
                        for (const rule of p.spec.ingress ?? []) {
                            assert.deepStrictEqual(rule.fromEntities, ["remote-node", "host"], `${p.metadata.name}: the API server's identities only`);
                        }
                        continue;
                    }
                    for (const rule of p.spec.ingress ?? []) {
                        const allowed: NetworkPolicyPeer = AMA_POLICIES.includes(p.metadata.name) ? peer(azureMonitor.namespace, azureMonitor.collectorPodLabels) : peer(config.monitoring.namespace, config.monitoring.podLabels);
                        assert.deepStrictEqual(rule.from, [allowed], `${p.metadata.name} admits a source other than monitoring`);
                    }
                }
            }
        });
    });

    describe("ingress controller", () => {
        it("ingress 80/443 from anywhere (no source selector), and no separate load balancer probe flow", () => {
            const any = networkPolicy(devPolicies, NGINX, "any-to-ingress-controller-web");
            assert.deepStrictEqual(any.spec.podSelector.matchLabels, NGINX_LABELS);
            assert.deepStrictEqual(any.spec.ingress, [{ ports: [{ port: 80, protocol: "TCP" }, { port: 443, protocol: "TCP" }] }]);
            // externalTrafficPolicy Local: Azure probes the node's health-check node port, not the pods
            // (kubernetes-sigs/cloud-provider-azure, site/content/en/topics/custom-health-probe.md).
            for (const config of [dev, prod]) {
                const names = selecting(platformPolicies(config), NGINX, NGINX_LABELS, "Ingress").map((p) => p.metadata.name).sort();
                const scrape = config.monitoring.mode === "azure" ? ["ama-metrics-to-ingress-controller-metrics"] : [];
                assert.deepStrictEqual(names, ["any-to-ingress-controller-web", ...scrape, "monitoring-to-ingress-controller-metrics"].sort());
            }
        });

        it("ingress metrics (9113) from monitoring; egress to the API server", () => {
            assertMetricsFrom(networkPolicy(devPolicies, NGINX, "monitoring-to-ingress-controller-metrics"), dev, nginxIngress.ports.metrics.port, NGINX_LABELS);
            const p = ciliumPolicy(devPolicies, NGINX, "ingress-controller-to-apiserver");
            assert.deepStrictEqual(p.spec.endpointSelector.matchLabels, NGINX_LABELS);
            assert.deepStrictEqual(p.spec.egress, APISERVER_EGRESS);
        });

        for (const stack of STACKS) {
            it(`${stack}: egress to each app's pods on that app's container port only, matched by the app's ingress`, () => {
                const config = stackConfig(stack);
                const policies = platformPolicies(config);
                assert.ok(config.apps.length > 0, "every stack runs at least one app");
                for (const app of config.apps) {
                    const labels = appFacts.podLabels(app.name);
                    const out = networkPolicy(policies, NGINX, `ingress-controller-to-${app.name}-egress`);
                    assert.deepStrictEqual(out.spec.podSelector.matchLabels, NGINX_LABELS);
                    assert.deepStrictEqual(out.spec.egress, [{ to: [peer(app.name, labels)], ports: [{ port: app.port, protocol: "TCP" }] }]);
                    const inn = networkPolicy(policies, app.name, `ingress-controller-to-${app.name}-ingress`);
                    assert.deepStrictEqual(inn.spec.podSelector.matchLabels, labels);
                    assert.deepStrictEqual(inn.spec.ingress, [{ from: [peer(NGINX, NGINX_LABELS)], ports: [{ port: app.port, protocol: "TCP" }] }]);
                }
            });
        }
    });

    describe("applications", () => {
        it("egress is DNS only unless the app's config declares more (prod's storefront: its database CIDR and port)", () => {
            const store = prod.apps.find((a) => a.name === "storefront");
            assert.ok(store, "prod declares storefront");
            const egress = selecting(prodPolicies, "storefront", appFacts.podLabels("storefront"), "Egress");
            assert.strictEqual(egress.length, 1);
            const p = egress[0] as NetworkPolicyObject;
            assert.deepStrictEqual(p.spec.egress, [{ to: [{ ipBlock: { cidr: "10.30.32.0/24" } }], ports: [{ port: 5432, protocol: "TCP" }] }]);
            for (const app of dev.apps) assert.deepStrictEqual(selecting(devPolicies, app.name, appFacts.podLabels(app.name), "Egress"), [], `${app.name} declares no egress`);
        });

        it("apps never open to each other: an app's only ingress source is the ingress controller", () => {
            const config = stackConfig("dev", { apps: JSON.stringify([{ name: "shop", image: "registry.example.com/shop:1.0.0", port: 8081 }]) });
            const policies = platformPolicies(config);
            assert.deepStrictEqual(config.apps.map((a) => a.name).sort(), ["demo", "shop"]);
            for (const app of config.apps) {
                const ingress = selecting(policies, app.name, appFacts.podLabels(app.name), "Ingress") as NetworkPolicyObject[];
                assert.deepStrictEqual(ingress.flatMap((p) => p.spec.ingress ?? []).flatMap((r) => r.from ?? [{}]), [peer(NGINX, NGINX_LABELS)]);
                const egress = policies.filter((p) => p.metadata.namespace === app.name && p.kind === "NetworkPolicy" && p.spec.egress !== undefined && p.metadata.name !== "allow-dns");
                assert.deepStrictEqual(egress, [], `${app.name} has no egress to other apps`);
            }
        });
    });

    describe("no HTTP-01 solver flows (certificates outside the zone use DNS-01 through a CNAME)", () => {
        it("no policy selects or admits solver pods, and the controller has no egress to the ingress controller", () => {
            for (const config of [dev, prod]) {
                const text = JSON.stringify(platformPolicies(config));
                assert.ok(!text.includes("acme.cert-manager.io/http01-solver") && !text.includes("http01"), "a policy mentions HTTP-01");
                const egress = selecting(platformPolicies(config), CM, certManager.podLabels.controller, "Egress").map((p) => p.metadata.name);
                assert.ok(!egress.some((n) => n.includes("ingress-controller")), egress.join(", "));
            }
        });
    });

    describe("shape of the whole set", () => {
        const variants: [string, PlatformConfig][] = [
            ...STACKS.map((s): [string, PlatformConfig] => [s, stackConfig(s)]),
            ["dev+anySource", stackConfig("dev", { webhookAllowAnySource: "true" })],
        ];

        for (const [name, config] of variants) {
            it(`${name}: API-server flows are the only CiliumNetworkPolicies, and no rule opens every port or every destination`, () => {
                for (const p of platformPolicies(config)) {
                    if (p.kind === "CiliumNetworkPolicy") {
                        const text = JSON.stringify(p.spec);
                        assert.ok(text.includes("kube-apiserver") || p.metadata.name.startsWith("apiserver-to-"), `${p.metadata.name} is a CiliumNetworkPolicy without the API server`);
                        for (const rule of [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])]) {
                            const kinds = Object.keys(rule).filter((k) => k !== "toPorts");
                            assert.strictEqual(kinds.length, 1, `${p.metadata.name}: Cilium rejects a rule combining ${kinds.join(" and ")}`);
                            assert.ok(rule.toPorts.length > 0 && rule.toPorts.every((t) => t.ports.length > 0), `${p.metadata.name}: rule without ports`);
                        }
                        continue;
                    }
                    for (const rule of [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])]) {
                        assert.ok(rule.ports.length > 0, `${p.metadata.namespace}/${p.metadata.name}: a rule without ports opens every port`);
                    }
                    for (const rule of p.spec.egress ?? []) {
                        assert.ok(rule.to.length > 0, `${p.metadata.namespace}/${p.metadata.name}: egress to every destination`);
                        for (const to of rule.to) {
                            if (to.ipBlock?.cidr === "0.0.0.0/0") assert.deepStrictEqual(to.ipBlock.except, [...PRIVATE_IPV4_RANGES, ...AZURE_PLATFORM_ADDRESSES], `${p.metadata.name}: 0.0.0.0/0 must except the private ranges and Azure platform addresses`);
                        }
                    }
                    for (const rule of p.spec.ingress ?? []) {
                        if (rule.from === undefined) {
                            const open = p.metadata.name === "any-to-ingress-controller-web" || p.metadata.name === "any-to-cert-manager-webhook-admission";
                            assert.ok(open, `${p.metadata.namespace}/${p.metadata.name} admits any source`);
                        }
                    }
                }
            });

            it(`${name}: every policy has a unique namespace/name and a role label; flow policies say which flow and why`, () => {
                const seen = new Set<string>();
                for (const p of platformPolicies(config)) {
                    const key = `${p.metadata.namespace}/${p.metadata.name}`;
                    assert.ok(!seen.has(key), `duplicate ${key}`);
                    seen.add(key);
                    const role = p.metadata.labels["aks-platform/policy"];
                    assert.ok(role === "default-deny" || role === "allow-dns" || role === "flow", `${key} role ${role}`);
                    if (role === "flow") {
                        assert.ok(p.metadata.annotations?.["aks-platform/flow"], `${key} names its flow`);
                        assert.ok(p.metadata.annotations?.["aks-platform/why"], `${key} says why`);
                    }
                }
            });
        }
    });

    describe("validated by kubernetes-models and @kubernetes-models/cilium", () => {
        for (const stack of STACKS) {
            it(`${stack}: every NetworkPolicy and CiliumNetworkPolicy passes the schema`, () => {
                const configs = [stackConfig(stack), stackConfig(stack, { webhookAllowAnySource: "true" })];
                const policies = configs.flatMap(platformPolicies);
                for (const p of policies) validateObject({ ...p });
                assert.ok(policies.some((p) => p.kind === "NetworkPolicy") && policies.some((p) => p.kind === "CiliumNetworkPolicy"));
            });
        }

        it("the validators do reject broken policies (so the checks above can fail)", () => {
            const np = networkPolicy(devPolicies, CM, "cert-manager-controller-to-acme");
            const badNp = { ...np, spec: { ...np.spec, egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443, protocol: "TCPX" }] }] } };
            assert.throws(() => validateObject(badNp), /cert-manager-controller-to-acme/);
            const cnp = ciliumPolicy(devPolicies, CM, "cert-manager-controller-to-apiserver");
            const badCnp = { ...cnp, spec: { ...cnp.spec, egress: [{ toEntities: ["kube-apiservr"], toPorts: cnp.spec.egress?.[0].toPorts }] } };
            assert.throws(() => validateObject(badCnp), /cert-manager-controller-to-apiserver/);
        });
    });

    describe("errors", () => {
        const controller: WorkloadEndpoint = { kind: "workload", label: "c", namespace: CM, podLabels: certManager.podLabels.controller, managed: true };
        const stranger: WorkloadEndpoint = { kind: "workload", label: "x", namespace: "elsewhere", podLabels: { app: "x" }, managed: true };
        const flow = (f: Partial<Flow>): Flow => ({ name: "f", source: controller, destination: stranger, ports: [{ port: 1, protocol: "TCP" }], why: "test", ...f });

        it("a flow into a namespace the platform does not manage is an error naming the namespace", () => {
            assert.throws(() => buildPolicies([CM], [flow({})]), /namespace elsewhere is not managed/);
        });
        it("a flow without ports, or egress to any destination, is refused", () => {
            assert.throws(() => buildPolicies([CM, "elsewhere"], [flow({ ports: [] })]), /opens no port/);
            assert.throws(() => buildPolicies([CM], [flow({ destination: { kind: "any", label: "any" } })]), /egress to any destination/);
        });
        it("two flows with the same name are refused", () => {
            const toAcme = flow({ destination: { kind: "cidr", label: "x", cidrs: ["203.0.113.0/24"], except: [] } });
            assert.throws(() => buildPolicies([CM], [toAcme, toAcme]), /two policies are named cert-manager\/f/);
        });
    });
});
