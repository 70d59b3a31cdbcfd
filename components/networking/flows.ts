/**
 * The platform's network flows as data, declared once.
 *
 * Every connection the platform needs is one `Flow`: a source, a destination, the exact ports,
 * and why it exists. `policies.ts` turns the flows into NetworkPolicy / CiliumNetworkPolicy
 * specs and `docs.ts` renders the same list as docs/network-flows.md's table and diagram, so the policy
 * set and its documentation cannot drift apart. Nothing here calls Pulumi.
 *
 * Baseline per managed namespace (not flows, see `policies.ts`): `default-deny` (all ingress and
 * egress) and `allow-dns` (egress to kube-dns in kube-system on 53/UDP+TCP).
 *
 * Decisions written down once:
 * - Metrics flows (monitoring → each component's metrics port) are declared in every stack,
 *   whatever the monitoring mode (your own Prometheus may scrape). The source is narrow (the
 *   configured monitoring namespace AND its Prometheus pod labels), so with no Prometheus it
 *   opens nothing, and a Prometheus the team brings itself can scrape without a policy change.
 *   In monitoring mode azure the AKS metrics add-on's collector gets exactly the targets of the
 *   platform's PodMonitors on their metrics ports (`azureMonitorScrapeFlows`).
 * - Kubelet probes (readiness/liveness/healthz ports) need no flow: Cilium always allows a node
 *   to reach the pods on it (the `host` identity), and nothing else should reach those ports.
 * - Flows to the API server are enforced by Cilium's `kube-apiserver` entity; its calls into
 *   webhooks arrive from the nodes (see `ApiServerEndpoint`); everything else is plain
 *   `networking.k8s.io/v1`.
 * - No flow exists for Azure load balancer health probes: the controller's Service uses
 *   `externalTrafficPolicy: Local`, for which the load balancer probes `/healthz` on the node's
 *   health-check node port, not the pods, and ignores the request-path annotation
 *   (kubernetes-sigs/cloud-provider-azure, site/content/en/topics/custom-health-probe.md).
 */
import { PlatformConfig } from "../config";
import {
    apps as appFacts,
    azureMonitor,
    cilium,
    certManager,
    istioCsr,
    kubeSystem,
    nginxIngress,
    PortFact,
    PRIVATE_IPV4_RANGES,
    AZURE_PLATFORM_ADDRESSES,
    Protocol,
    PUBLIC_HTTPS_PORT,
} from "../facts";

/** A port a flow opens. */
export interface FlowPort {
    readonly port: number;
    readonly protocol: Protocol;
    /** The container port's name in the chart, when it has one (documentation only). */
    readonly name?: string;
}

/** Pods selected by namespace and labels. */
export interface WorkloadEndpoint {
    readonly kind: "workload";
    /** Human name for docs and diagrams, e.g. "cert-manager controller". */
    readonly label: string;
    readonly namespace: string;
    /** The chart's (or the platform's) pod labels; the policy selects exactly these. */
    readonly podLabels: Readonly<Record<string, string>>;
    /**
     * True when the namespace is one the platform manages (default deny applies, so this side of
     * the flow needs its own policy). False for kube-system and the monitoring namespace.
     */
    readonly managed: boolean;
}

/** Addresses outside the cluster (or outside the pod network). */
export interface CidrEndpoint {
    readonly kind: "cidr";
    readonly label: string;
    readonly cidrs: readonly string[];
    /** Ranges carved out of every CIDR (the internet endpoint excepts the private ranges). */
    readonly except: readonly string[];
}

/**
 * The Kubernetes API server. As a destination: Cilium's `kube-apiserver` entity on 443/TCP, which
 * works for egress on AKS. As a source (it calls admission webhooks): on AKS its calls are
 * tunnelled through the nodes and arrive with the `remote-node` identity (`host` on the webhook
 * pod's own node); neither `fromEntities: kube-apiserver`, the konnectivity pods nor the API server
 * subnet match them (facts.cilium.apiServerCallerEntities has the sources).
 */
export interface ApiServerEndpoint {
    readonly kind: "apiserver";
    readonly label: string;
    /** Its identity as a destination. */
    readonly entity: string;
    /** The identities its calls into pods carry. */
    readonly callerEntities: readonly string[];
}

/** Any source at all (the ingress controller's front door; the webhook escape hatch). Source only. */
export interface AnyEndpoint {
    readonly kind: "any";
    readonly label: string;
}

export type Endpoint = WorkloadEndpoint | CidrEndpoint | ApiServerEndpoint | AnyEndpoint;

export interface Flow {
    /** `source-destination-purpose`, kebab case; also the policy name. */
    readonly name: string;
    readonly source: Endpoint;
    readonly destination: Endpoint;
    /** Exactly the ports opened; nothing else between these endpoints. */
    readonly ports: readonly FlowPort[];
    /** Why the platform needs it; goes into the docs and the policy's annotation. */
    readonly why: string;
}

// ---------------------------------------------------------------------------------------------
// Endpoints

function port(fact: PortFact): FlowPort {
    return { port: fact.port, protocol: fact.protocol, name: fact.name };
}

function workload(label: string, namespace: string, podLabels: Readonly<Record<string, string>>, managed = true): WorkloadEndpoint {
    return { kind: "workload", label, namespace, podLabels, managed };
}

export const CERT_MANAGER = {
    controller: workload("cert-manager controller", certManager.namespace, certManager.podLabels.controller),
    webhook: workload("cert-manager webhook", certManager.namespace, certManager.podLabels.webhook),
    cainjector: workload("cert-manager cainjector", certManager.namespace, certManager.podLabels.cainjector),
    startupApiCheck: workload("cert-manager startupapicheck", certManager.namespace, certManager.podLabels.startupApiCheck),
} as const;

export const INGRESS_CONTROLLER: WorkloadEndpoint = workload(
    "NGINX ingress controller",
    nginxIngress.namespace,
    nginxIngress.podLabels(nginxIngress.releaseName),
);

/** kube-dns (CoreDNS) pods: the destination of every namespace's `allow-dns`. */
export const KUBE_DNS: WorkloadEndpoint = workload("kube-dns", kubeSystem.namespace, kubeSystem.dnsPodLabels, false);
export const DNS_PORTS: readonly FlowPort[] = kubeSystem.dnsPorts.map(port);

export const API_SERVER_PORT: FlowPort = { port: kubeSystem.apiServerPort, protocol: "TCP" };

/** Public IPv4 only: everything except the private, CGNAT and link-local ranges. */
export const INTERNET: CidrEndpoint = { kind: "cidr", label: "internet (public addresses)", cidrs: ["0.0.0.0/0"], except: [...PRIVATE_IPV4_RANGES, ...AZURE_PLATFORM_ADDRESSES] };

export const ANY_SOURCE: AnyEndpoint = { kind: "any", label: "anywhere" };

export const API_SERVER: ApiServerEndpoint = {
    kind: "apiserver",
    label: "Kubernetes API server",
    entity: cilium.apiServerEntity,
    callerEntities: cilium.apiServerCallerEntities,
};

export function monitoring(config: PlatformConfig): WorkloadEndpoint {
    return workload("Prometheus (monitoring)", config.monitoring.namespace, config.monitoring.podLabels, false);
}

export function appWorkload(app: { name: string }): WorkloadEndpoint {
    return workload(`app ${app.name}`, app.name, appFacts.podLabels(app.name));
}

/** Nameservers grouped by port: `1.1.1.1:53` → 53 → ["1.1.1.1/32"]. */
function nameserversByPort(config: PlatformConfig): Map<number, string[]> {
    const byPort = new Map<number, string[]>();
    for (const ns of config.acme.recursiveNameservers) {
        const i = ns.lastIndexOf(":");
        const p = Number(ns.slice(i + 1));
        byPort.set(p, [...(byPort.get(p) ?? []), `${ns.slice(0, i)}/32`]);
    }
    return byPort;
}

// ---------------------------------------------------------------------------------------------
// Flows, one builder per part of the platform

/** Egress to the API server for a workload that calls it. */
function toApiServer(source: WorkloadEndpoint, name: string, why: string): Flow {
    return { name, source, destination: API_SERVER, ports: [API_SERVER_PORT], why };
}

/**
 * Ingress to an admission webhook's serving port from the API server only, or from anywhere with
 * `webhookAllowAnySource` (the escape hatch for clusters where none of the API server paths match).
 * Every admission webhook the platform runs takes its ingress flow from here.
 */
export function admissionWebhookFlow(config: PlatformConfig, webhook: WorkloadEndpoint, servingPort: FlowPort, stem: string): Flow {
    return config.webhookAllowAnySource
        ? {
            name: `any-to-${stem}-admission`,
            source: ANY_SOURCE,
            destination: webhook,
            ports: [servingPort],
            why: "admission calls from the API server; webhookAllowAnySource is on, so any source may call the webhook port (escape hatch for clusters where the API server's path matches none of the selectors)",
        }
        : {
            name: `apiserver-to-${stem}-admission`,
            source: API_SERVER,
            destination: webhook,
            ports: [servingPort],
            why: "admission calls from the API server, which on AKS arrive from the nodes: Cilium identity remote-node (host on the webhook pod's own node)",
        };
}

function metricsFlow(config: PlatformConfig, target: WorkloadEndpoint, metricsPort: FlowPort, stem: string): Flow {
    return {
        name: `monitoring-to-${stem}-metrics`,
        source: monitoring(config),
        destination: target,
        ports: [metricsPort],
        why: "Prometheus scrapes metrics; only the configured monitoring namespace's Prometheus pods",
    };
}

function certManagerFlows(config: PlatformConfig): Flow[] {
    const { controller, webhook, cainjector, startupApiCheck } = CERT_MANAGER;
    const metrics = port(certManager.ports.metrics);
    const nameservers = [...nameserversByPort(config)];
    return [
        toApiServer(controller, "cert-manager-controller-to-apiserver",
            "reconciles Certificates, Orders and Challenges; leader election lease"),
        {
            name: "cert-manager-controller-to-acme",
            source: controller,
            destination: INTERNET,
            ports: [port(PUBLIC_HTTPS_PORT)],
            why: "ACME (Let's Encrypt), Azure Resource Manager (DNS-01 records) and Entra ID (workload identity tokens) over HTTPS; public addresses only",
        },
        ...nameservers.map(([p, cidrs]): Flow => ({
            name: nameservers.length === 1 ? "cert-manager-controller-to-recursive-dns" : `cert-manager-controller-to-recursive-dns-${p}`,
            source: controller,
            destination: { kind: "cidr", label: "recursive nameservers", cidrs, except: [] },
            ports: [{ port: p, protocol: "UDP" }, { port: p, protocol: "TCP" }],
            why: "DNS-01 propagation checks, asked of the configured recursive nameservers only",
        })),
        metricsFlow(config, controller, metrics, "cert-manager-controller"),
        admissionWebhookFlow(config, webhook, port(certManager.ports.webhookServing), "cert-manager-webhook"),
        metricsFlow(config, webhook, metrics, "cert-manager-webhook"),
        toApiServer(webhook, "cert-manager-webhook-to-apiserver",
            "reads its serving certificate Secret and authorizes SubjectAccessReviews"),
        toApiServer(cainjector, "cert-manager-cainjector-to-apiserver",
            "injects CA bundles into webhook and CRD configurations"),
        metricsFlow(config, cainjector, metrics, "cert-manager-cainjector"),
        toApiServer(startupApiCheck, "cert-manager-startupapicheck-to-apiserver",
            "Helm post-install hook that waits until the webhook answers; without it the install hangs"),
    ];
}

function ingressFlows(config: PlatformConfig): Flow[] {
    const web = [port(nginxIngress.ports.http), port(nginxIngress.ports.https)];
    return [
        {
            name: "any-to-ingress-controller-web",
            source: ANY_SOURCE,
            destination: INGRESS_CONTROLLER,
            ports: web,
            why: "the front door: HTTP/HTTPS clients from anywhere (no source selector, so it also holds with externalTrafficPolicy Cluster, where the source is a node that no ipBlock selects)",
        },
        metricsFlow(config, INGRESS_CONTROLLER, port(nginxIngress.ports.metrics), "ingress-controller"),
        toApiServer(INGRESS_CONTROLLER, "ingress-controller-to-apiserver",
            "watches Ingresses, Services, EndpointSlices and Secrets; updates Ingress status"),
    ];
}

function appFlows(config: PlatformConfig): Flow[] {
    return config.apps.flatMap((app): Flow[] => {
        const pods = appWorkload(app);
        return [
            {
                name: `ingress-controller-to-${app.name}`,
                source: INGRESS_CONTROLLER,
                destination: pods,
                ports: [{ port: app.port, protocol: "TCP", name: appFacts.containerPortName }],
                why: `proxies requests for ${app.host} to the app's pods, on its container port only`,
            },
            ...app.egress.map((e): Flow => ({
                name: `${app.name}-to-${e.cidr.replace(/[./]/g, "-")}-${e.port}-${e.protocol.toLowerCase()}`,
                source: pods,
                destination: { kind: "cidr", label: `${app.name} declared egress`, cidrs: [e.cidr], except: [] },
                ports: [{ port: e.port, protocol: e.protocol }],
                why: "egress declared in the app's config",
            })),
        ];
    });
}

/** istio-csr (when enabled): the API server, metrics, and gRPC certificate requests from the mesh. */
function istioCsrFlows(config: PlatformConfig): Flow[] {
    if (!config.istioCsr.enabled) return [];
    const csr = workload("istio-csr", istioCsr.namespace, istioCsr.podLabels);
    return [
        toApiServer(csr, "istio-csr-to-apiserver", "creates CertificateRequests, reads the CA bundle, leader election"),
        metricsFlow(config, csr, port(istioCsr.ports.metrics), "istio-csr"),
        ...config.istioCsr.meshNamespaces.map((ns): Flow => ({
            name: `${ns}-to-istio-csr-grpc`,
            source: workload(`mesh namespace ${ns}`, ns, {}, false),
            destination: csr,
            ports: [port(istioCsr.ports.grpc)],
            why: "istiod and sidecars in the mesh request workload certificates over gRPC",
        })),
    ];
}

/** The AKS metrics add-on's collector: the pods that scrape PodMonitor targets (monitoring mode azure). */
export const AZURE_MONITOR_COLLECTOR: WorkloadEndpoint = workload("Azure Monitor metrics collector (ama-metrics)", azureMonitor.namespace, azureMonitor.collectorPodLabels, false);

/**
 * Monitoring mode azure: the add-on's collector pods (ama-metrics in kube-system, ordinary pods on
 * the pod network: Azure/prometheus-collector addon-chart templates, no hostNetwork) scrape exactly
 * the targets of the platform's PodMonitors, cert-manager's controller and the NGINX controller, on
 * their metrics ports; nothing else is opened to them.
 */
function azureMonitorScrapeFlows(config: PlatformConfig): Flow[] {
    if (config.monitoring.mode !== "azure") return [];
    const why = "the AKS metrics add-on scrapes the platform's PodMonitor targets for the alert rules in Azure Monitor";
    return [
        { name: "ama-metrics-to-cert-manager-controller-metrics", source: AZURE_MONITOR_COLLECTOR, destination: CERT_MANAGER.controller, ports: [port(certManager.ports.metrics)], why },
        { name: "ama-metrics-to-ingress-controller-metrics", source: AZURE_MONITOR_COLLECTOR, destination: INGRESS_CONTROLLER, ports: [port(nginxIngress.ports.metrics)], why },
    ];
}

/** Every flow the platform needs, for this config. */
export function platformFlows(config: PlatformConfig): Flow[] {
    return [
        ...certManagerFlows(config),
        ...ingressFlows(config),
        ...appFlows(config),
        ...istioCsrFlows(config),
        ...azureMonitorScrapeFlows(config),
    ];
}
