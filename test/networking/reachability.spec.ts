/**
 * Reachability of the whole emitted policy set, per stack, evaluated by the policy pack's
 * analyzer in its Cilium mode. The cluster is built from the facts module (the charts' pod labels
 * and container ports); the expected matrix is written from issues 5 and 11's requirements, never
 * derived from flows.ts. The API server's calls into the webhook arrive as remote-node on AKS
 * (cilium/cilium issue 31711), which the analyzer's Cilium mode models.
 */
import * as assert from "assert";
import { analyze } from "../../policy-pack/analysis";
import { PlatformConfig } from "../../components/config";
import { apps as appFacts, azureMonitor, certManager, istioCsr, kubeSystem, NAMESPACE_NAME_LABEL, nginxIngress, PortFact } from "../../components/facts";
import { Cidr, parseCidr } from "../../policy-pack/shared/net";
import { platformPolicies } from "../../components/networking/policies";
import { STACKS, stackConfig } from "./support";

type Proto = "TCP" | "UDP";
interface Probe { port: number; protocol: Proto }
interface Check { from: string; to: string; probe: Probe; open: boolean; why: string }

const tcp = (port: number): Probe => ({ port, protocol: "TCP" });
const udp = (port: number): Probe => ({ port, protocol: "UDP" });

// Endpoint ids: pods are "namespace/name", externals by name, the API server "kube-apiserver".
const API = "kube-apiserver";
const CONTROLLER = `${certManager.namespace}/controller`;
const WEBHOOK = `${certManager.namespace}/webhook`;
const CAINJECTOR = `${certManager.namespace}/cainjector`;
const STARTUPAPICHECK = `${certManager.namespace}/startupapicheck`;
const NGINX = `${nginxIngress.namespace}/controller`;
const REMOTE_NODE = "remote-node";
const COREDNS = `${kubeSystem.namespace}/coredns`;
const KONNECTIVITY = `${kubeSystem.namespace}/konnectivity-agent`;
/** AKS labels its konnectivity agents `app: konnectivity-agent` (tigera/operator pull request 5212). */
const KONNECTIVITY_LABELS = { app: "konnectivity-agent" };
const METRICS_SERVER = `${kubeSystem.namespace}/metrics-server`;
/** The AKS metrics add-on's collector (Azure/prometheus-collector addon-chart: rsName ama-metrics in kube-system). */
const AMA_METRICS = `${azureMonitor.namespace}/ama-metrics`;
const PROMETHEUS = (c: PlatformConfig): string => `${c.monitoring.namespace}/prometheus`;
const GRAFANA = (c: PlatformConfig): string => `${c.monitoring.namespace}/grafana`;
/** A pod labelled exactly like Prometheus, in a namespace that is not the monitoring namespace. */
const IMPOSTOR = "intruder/prometheus";
const APP = (name: string): string => `${name}/${name}`;
const ISTIO_CSR = `${istioCsr.namespace}/istio-csr`;
const MESH_POD = (ns: string): string => `${ns}/istiod`;

const COREDNS_METRICS = 9153;
const PROMETHEUS_PORT = 9090;

function ipv4Cidr(text: string): Cidr {
    const c = parseCidr(text);
    assert.ok(c && c.family === 4, `${text} is an IPv4 CIDR`);
    return c;
}

/** The IPv4 address `offset` after a block's first address. */
const ip = (c: Cidr, offset: number): string => [24, 16, 8, 0].map((s) => (Number(c.start + BigInt(offset)) >>> s) & 255).join(".");

/** Addresses outside the cluster, by name. */
function externals(config: PlatformConfig): Record<string, string> {
    const out: Record<string, string> = {
        internet: "93.184.216.34",
        "private-host": "10.200.0.5",
        // Azure's platform address (WireServer, load balancer probes): public-looking, not the internet.
        "azure-platform-address": "168.63.129.16",
        "other-resolver": "9.9.9.9",
        // An API server instance address inside the delegated subnet (VNet integration): not a path into pods on Cilium.
        "apiserver-subnet-host": ip(ipv4Cidr(config.network.apiServerSubnetCidr), 4),
    };
    config.acme.recursiveNameservers.forEach((ns, i) => { out[`resolver-${i}`] = ns.split(":")[0]; });
    for (const app of config.apps) app.egress.forEach((e, j) => { out[`${app.name}-egress-${j}`] = ip(ipv4Cidr(e.cidr), 1); });
    return out;
}

/** Namespaces and pods of the platform as the charts run them (labels and container ports from facts). */
function cluster(config: PlatformConfig): unknown[] {
    const pod = (namespace: string, name: string, labels: Readonly<Record<string, string>>, ports: readonly PortFact[]): { namespace: string; name: string; labels: Readonly<Record<string, string>>; ports: readonly PortFact[] } =>
        ({ namespace, name, labels, ports });
    const instance = { "app.kubernetes.io/instance": certManager.releaseName };
    const pods = [
        pod(certManager.namespace, "controller", { ...certManager.podLabels.controller, ...instance, ...certManager.workloadIdentityUseLabel }, [certManager.ports.metrics, certManager.ports.controllerHealthz]),
        pod(certManager.namespace, "webhook", { ...certManager.podLabels.webhook, ...instance }, [certManager.ports.webhookServing, certManager.ports.webhookHealthz, certManager.ports.metrics]),
        pod(certManager.namespace, "cainjector", { ...certManager.podLabels.cainjector, ...instance }, [certManager.ports.metrics]),
        pod(certManager.namespace, "startupapicheck", { ...certManager.podLabels.startupApiCheck, ...instance }, []),
        pod(nginxIngress.namespace, "controller", nginxIngress.podLabels(nginxIngress.releaseName), Object.values(nginxIngress.ports)),
        ...(config.istioCsr.enabled ? [pod(istioCsr.namespace, "istio-csr", istioCsr.podLabels, [istioCsr.ports.grpc, istioCsr.ports.metrics])] : []),
        ...(config.istioCsr.enabled ? config.istioCsr.meshNamespaces.filter((ns) => !config.apps.some((a) => a.name === ns)).map((ns) => pod(ns, "istiod", { app: "istiod" }, [])) : []),
        ...config.apps.map((a) => pod(a.name, a.name, appFacts.podLabels(a.name), [{ name: appFacts.containerPortName, port: a.port, protocol: "TCP" }])),
        pod(kubeSystem.namespace, "coredns", kubeSystem.dnsPodLabels, [...kubeSystem.dnsPorts, { name: "metrics", port: COREDNS_METRICS, protocol: "TCP" }]),
        pod(kubeSystem.namespace, "konnectivity-agent", KONNECTIVITY_LABELS, []),
        pod(kubeSystem.namespace, "metrics-server", { "k8s-app": "metrics-server" }, [{ name: "https", port: 4443, protocol: "TCP" }]),
        pod(azureMonitor.namespace, "ama-metrics", azureMonitor.collectorPodLabels, []),
        pod(config.monitoring.namespace, "prometheus", config.monitoring.podLabels, [{ name: "web", port: PROMETHEUS_PORT, protocol: "TCP" }]),
        pod(config.monitoring.namespace, "grafana", { "app.kubernetes.io/name": "grafana" }, [{ name: "http", port: 3000, protocol: "TCP" }]),
        pod("intruder", "prometheus", config.monitoring.podLabels, [{ name: "web", port: PROMETHEUS_PORT, protocol: "TCP" }]),
    ];
    const podNet = ipv4Cidr(config.network.podCidr);
    const namespaces = [...new Set(pods.map((p) => p.namespace))];
    return [
        ...namespaces.map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { [NAMESPACE_NAME_LABEL]: name } } })),
        ...pods.map((p, i) => ({
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: p.name, namespace: p.namespace, labels: { ...p.labels } },
            spec: { containers: [{ name: p.name, image: "example.invalid/image:1", ports: p.ports.map((x) => ({ name: x.name, containerPort: x.port, protocol: x.protocol })) }] },
            status: { podIP: ip(podNet, 10 + i) },
        })),
    ];
}

function managedPods(config: PlatformConfig): string[] {
    return [CONTROLLER, WEBHOOK, CAINJECTOR, STARTUPAPICHECK, NGINX, ...(config.istioCsr.enabled ? [ISTIO_CSR] : []), ...config.apps.map((a) => APP(a.name))];
}

/** The must-reach and must-not-reach matrix, from the requirements. */
function expectations(config: PlatformConfig): Check[] {
    const checks: Check[] = [];
    const open = (from: string, to: string, probe: Probe, why: string): void => { checks.push({ from, to, probe, open: true, why }); };
    const closed = (from: string, to: string, probe: Probe, why: string): void => { checks.push({ from, to, probe, open: false, why }); };
    const prom = PROMETHEUS(config);
    const metrics = certManager.ports.metrics.port;

    // cert-manager controller
    open(CONTROLLER, API, tcp(443), "controller calls the API server");
    open(CONTROLLER, "internet", tcp(443), "controller reaches ACME / ARM / Entra ID on public 443");
    config.acme.recursiveNameservers.forEach((ns, i) => {
        const port = Number(ns.split(":")[1]);
        open(CONTROLLER, `resolver-${i}`, udp(port), "DNS-01 check via configured resolver (UDP)");
        open(CONTROLLER, `resolver-${i}`, tcp(port), "DNS-01 check via configured resolver (TCP)");
    });
    open(prom, CONTROLLER, tcp(metrics), "monitoring scrapes the controller");
    closed(CONTROLLER, "private-host", tcp(443), "controller to a private address on 443");
    closed(CONTROLLER, "azure-platform-address", tcp(443), "controller to Azure's platform address (168.63.129.16) is not internet egress");
    closed(CONTROLLER, "internet", tcp(80), "controller egress to the internet is 443 only");
    closed(CONTROLLER, "other-resolver", udp(53), "controller asks only the configured resolvers");
    // webhook: on AKS the API server's calls arrive from the nodes as remote-node (issue 11)
    const serving = certManager.ports.webhookServing.port;
    const hatch = config.webhookAllowAnySource;
    open(API, WEBHOOK, tcp(serving), "the API server calls the webhook (it arrives as remote-node)");
    open(REMOTE_NODE, WEBHOOK, tcp(serving), "the remote-node identity reaches the webhook's serving port");
    open(prom, WEBHOOK, tcp(metrics), "monitoring scrapes the webhook");
    open(WEBHOOK, API, tcp(443), "webhook calls the API server");
    for (const [from, why] of [[KONNECTIVITY, "the konnectivity pods are not how the API server arrives"], ["apiserver-subnet-host", "an address in the API server subnet is not how it arrives"], ["internet", "the internet"], [METRICS_SERVER, "other kube-system pods"]] as const) {
        checks.push({ from, to: WEBHOOK, probe: tcp(serving), open: hatch, why: hatch ? "webhookAllowAnySource opens the webhook port to any source" : `webhook closed to ${why}` });
    }
    for (const port of [certManager.ports.webhookHealthz.port, metrics]) closed(REMOTE_NODE, WEBHOOK, tcp(port), "the nodes reach the serving port only");
    closed(REMOTE_NODE, CONTROLLER, tcp(metrics), "the nodes reach the webhook only");
    closed(KONNECTIVITY, CONTROLLER, tcp(metrics), "konnectivity agents reach nothing in cert-manager");
    // cainjector, startupapicheck
    open(CAINJECTOR, API, tcp(443), "cainjector calls the API server");
    open(prom, CAINJECTOR, tcp(metrics), "monitoring scrapes the cainjector");
    open(STARTUPAPICHECK, API, tcp(443), "startupapicheck (post-install hook) calls the API server");
    // nothing reaches cert-manager except the API server and monitoring (and, with the escape hatch, any source on the webhook port)
    for (const [pod, ports] of [[CONTROLLER, [metrics, certManager.ports.controllerHealthz.port]], [WEBHOOK, [serving, metrics]], [CAINJECTOR, [metrics]]] as const) {
        for (const port of ports) {
            const open = pod === WEBHOOK && port === serving && hatch;
            checks.push({ from: "internet", to: pod, probe: tcp(port), open, why: open ? "webhookAllowAnySource opens the webhook port to any source" : "internet to cert-manager" });
            checks.push({ from: METRICS_SERVER, to: pod, probe: tcp(port), open, why: open ? "webhookAllowAnySource opens the webhook port to any source" : "other kube-system pods to cert-manager" });
            closed(NGINX, pod, tcp(port), "ingress controller to cert-manager (its egress is limited)");
            for (const app of config.apps) closed(APP(app.name), pod, tcp(port), "app to cert-manager, webhook included (app egress is DNS and declared flows only)");
        }
    }
    // ingress controller
    for (const port of [nginxIngress.ports.http.port, nginxIngress.ports.https.port]) open("internet", NGINX, tcp(port), "the front door from anywhere");
    open(prom, NGINX, tcp(nginxIngress.ports.metrics.port), "monitoring scrapes the ingress controller");
    open(NGINX, API, tcp(443), "ingress controller watches the API server");
    closed("internet", NGINX, tcp(nginxIngress.ports.metrics.port), "metrics are not public");
    closed(NGINX, "internet", tcp(443), "ingress controller has no internet egress");
    // apps
    for (const app of config.apps) {
        const pod = APP(app.name);
        open(NGINX, pod, tcp(app.port), `ingress controller to ${app.name} on its port`);
        app.egress.forEach((e, j) => open(pod, `${app.name}-egress-${j}`, { port: e.port, protocol: e.protocol }, `${app.name}'s declared egress`));
        app.egress.forEach((e, j) => closed(pod, `${app.name}-egress-${j}`, { port: e.port + 1, protocol: e.protocol }, `${app.name}'s declared egress is one port`));
        closed("internet", pod, tcp(app.port), "apps are reached through the ingress controller only");
        closed(pod, "internet", tcp(443), "apps have no internet egress");
        closed(pod, "private-host", tcp(443), "apps have no undeclared egress");
        closed(pod, API, tcp(443), "apps never call the API server");
        closed(pod, WEBHOOK, tcp(certManager.ports.webhookServing.port), "webhook from an app pod");
        closed(pod, NGINX, tcp(nginxIngress.ports.metrics.port), "app to the ingress controller's metrics");
        closed(pod, METRICS_SERVER, tcp(4443), "nothing else in kube-system");
        closed(pod, COREDNS, tcp(COREDNS_METRICS), "kube-dns on 53 only");
        for (const other of config.apps) if (other.name !== app.name) closed(pod, APP(other.name), tcp(other.port), "app to app");
    }
    // istio-csr
    if (config.istioCsr.enabled) {
        const grpc = istioCsr.ports.grpc.port;
        for (const ns of config.istioCsr.meshNamespaces.filter((n) => !config.apps.some((a) => a.name === n))) open(MESH_POD(ns), ISTIO_CSR, tcp(grpc), `mesh namespace ${ns} requests certificates over gRPC`);
        open(ISTIO_CSR, API, tcp(443), "istio-csr calls the API server");
        open(prom, ISTIO_CSR, tcp(istioCsr.ports.metrics.port), "monitoring scrapes istio-csr");
        closed("internet", ISTIO_CSR, tcp(grpc), "istio-csr is not public");
        closed(NGINX, ISTIO_CSR, tcp(grpc), "the ingress controller is not in the mesh namespaces");
        closed(ISTIO_CSR, "internet", tcp(443), "istio-csr has no internet egress");
        for (const app of config.apps) if (!config.istioCsr.meshNamespaces.includes(app.name)) closed(APP(app.name), ISTIO_CSR, tcp(grpc), "a namespace outside the mesh list");
    }
    // DNS from every managed pod
    for (const pod of managedPods(config)) {
        open(pod, COREDNS, udp(53), "DNS (UDP) from every managed pod");
        open(pod, COREDNS, tcp(53), "DNS (TCP) from every managed pod");
    }
    // The metrics add-on's collector (monitoring mode azure): exactly the PodMonitor targets on their metrics ports.
    const azure = config.monitoring.mode === "azure";
    checks.push({ from: AMA_METRICS, to: CONTROLLER, probe: tcp(metrics), open: azure, why: azure ? "the add-on scrapes cert-manager's controller" : "no collector flow outside azure mode" });
    checks.push({ from: AMA_METRICS, to: NGINX, probe: tcp(nginxIngress.ports.metrics.port), open: azure, why: azure ? "the add-on scrapes the ingress controller" : "no collector flow outside azure mode" });
    closed(AMA_METRICS, WEBHOOK, tcp(metrics), "the collector scrapes no PodMonitor target there");
    closed(AMA_METRICS, CAINJECTOR, tcp(metrics), "the collector scrapes no PodMonitor target there");
    closed(AMA_METRICS, CONTROLLER, tcp(certManager.ports.controllerHealthz.port), "the collector reaches the metrics port only");
    for (const app of config.apps) closed(AMA_METRICS, APP(app.name), tcp(app.port), "the collector reaches no app");
    // metrics from the wrong place
    for (const [pod, port] of [[CONTROLLER, metrics], [WEBHOOK, metrics], [CAINJECTOR, metrics], [NGINX, nginxIngress.ports.metrics.port]] as const) {
        closed(IMPOSTOR, pod, tcp(port), "metrics from a non-monitoring namespace");
        closed(GRAFANA(config), pod, tcp(port), "metrics from a non-Prometheus pod of the monitoring namespace");
    }
    return checks.filter((c, i, all) => all.findIndex((d) => d.from === c.from && d.to === c.to && d.probe.port === c.probe.port && d.probe.protocol === c.probe.protocol) === i);
}

function verify(config: PlatformConfig, extraObjects: unknown[] = []): { checked: number } {
    const analysis = analyze([...cluster(config), ...platformPolicies(config), ...extraObjects], { dataplane: "cilium", externals: externals(config) });
    const failures: string[] = [];
    const checks = expectations(config);
    for (const c of checks) {
        const verdict = analysis.canReach(c.from, c.to, c.probe);
        if (verdict.status !== (c.open ? "allowed" : "denied")) {
            failures.push(`${c.from} -> ${c.to} ${c.probe.port}/${c.probe.protocol}: expected ${c.open ? "open" : "closed"} (${c.why}), got ${verdict.status}\n      ${verdict.explanation.join("\n      ")}`);
        }
    }
    assert.deepStrictEqual(failures, [], `${failures.length} of ${checks.length} checks failed:\n  ${failures.join("\n  ")}`);
    return { checked: checks.length };
}

const SECOND_APP = { name: "second", image: "registry.example.com/team/second:1.0.0", port: 9000 };

/** The stack's raw apps plus one more, so app-to-app isolation is exercised in every stack. */
function withSecondApp(stack: string): PlatformConfig {
    const base = stackConfig(stack);
    const declared = base.apps.filter((a) => a.name !== "demo").map((a) => ({ name: a.name, image: a.image, port: a.port, host: a.host, replicas: a.replicas, egress: a.egress }));
    return stackConfig(stack, { apps: JSON.stringify([...declared, SECOND_APP]) });
}

describe("networking: reachability of the emitted policies (analyzer, Cilium mode)", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            it("every required flow is open, DNS works from every managed pod, and everything else checked is closed", () => {
                assert.ok(verify(stackConfig(stack)).checked > 50);
            });

            it("with a second app: apps never reach each other", () => {
                const config = withSecondApp(stack);
                assert.ok(config.apps.length >= 2);
                verify(config);
            });

            it("an ipBlock naming the API server's address does not open the API server", () => {
                const config = stackConfig(stack);
                const app = config.apps[0];
                const analysis = analyze([...cluster(config), ...platformPolicies(config)], { dataplane: "cilium", externals: externals(config) });
                const apiserver = analysis.endpoints.find((e) => e.kind === "apiserver");
                assert.ok(apiserver && apiserver.ips.length > 0, "the analyzer gives the API server an address");
                const ipBlockPolicy = {
                    apiVersion: "networking.k8s.io/v1",
                    kind: "NetworkPolicy",
                    metadata: { name: "apiserver-by-ipblock", namespace: app.name },
                    spec: {
                        podSelector: { matchLabels: { ...appFacts.podLabels(app.name) } },
                        policyTypes: ["Egress"],
                        egress: [{ to: apiserver.ips.map((ip) => ({ ipBlock: { cidr: `${ip}/32` } })), ports: [{ port: 443, protocol: "TCP" }] }],
                    },
                };
                const withIpBlock = analyze([...cluster(config), ...platformPolicies(config), ipBlockPolicy], { dataplane: "cilium", externals: externals(config) });
                const verdict = withIpBlock.canReach(APP(app.name), API, tcp(443));
                assert.strictEqual(verdict.status, "denied", verdict.explanation.join("\n"));
            });
        });
    }

    it("istio-csr on: the mesh namespaces reach its gRPC port, nothing else does", () => {
        verify(stackConfig("staging", { istioCsrEnabled: "true", istioMeshNamespaces: JSON.stringify(["istio-system"]) }));
    });

    it("webhookAllowAnySource on: the webhook's serving port (only) is open to any source", () => {
        verify(stackConfig("dev", { webhookAllowAnySource: "true" }));
    });

    it("the webhook's old paths would not have opened it: fromEntities kube-apiserver, the API server subnet and the konnectivity pods leave it closed to the API server", () => {
        const config = stackConfig("dev");
        const serving = certManager.ports.webhookServing.port;
        const old = {
            apiVersion: "cilium.io/v2",
            kind: "CiliumNetworkPolicy",
            metadata: { name: "apiserver-to-cert-manager-webhook-admission", namespace: certManager.namespace },
            spec: {
                endpointSelector: { matchLabels: { ...certManager.podLabels.webhook } },
                ingress: [
                    { fromEntities: ["kube-apiserver"], toPorts: [{ ports: [{ port: String(serving), protocol: "TCP" }] }] },
                    { fromCIDR: [config.network.apiServerSubnetCidr], toPorts: [{ ports: [{ port: String(serving), protocol: "TCP" }] }] },
                    { fromEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": kubeSystem.namespace, ...KONNECTIVITY_LABELS } }], toPorts: [{ ports: [{ port: String(serving), protocol: "TCP" }] }] },
                ],
            },
        };
        const policies = platformPolicies(config).filter((p) => p.metadata.name !== old.metadata.name);
        const analysis = analyze([...cluster(config), ...policies, old], { dataplane: "cilium", externals: externals(config) });
        const verdict = analysis.canReach(API, WEBHOOK, tcp(serving));
        assert.strictEqual(verdict.status, "denied", verdict.explanation.join("\n"));
        assert.ok(verdict.explanation.some((l) => /remote-node identity/.test(l)), verdict.explanation.join("\n"));
    });

    it("the matrix can fail: without the platform's policies the cluster is wide open", () => {
        const config = stackConfig("dev");
        const analysis = analyze(cluster(config), { dataplane: "cilium", externals: externals(config) });
        assert.strictEqual(analysis.canReach("internet", CONTROLLER, tcp(certManager.ports.metrics.port)).status, "allowed");
        assert.strictEqual(analysis.canReach(APP(config.apps[0].name), WEBHOOK, tcp(certManager.ports.webhookServing.port)).status, "allowed");
    });
});
