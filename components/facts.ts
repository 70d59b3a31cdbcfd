/**
 * The platform's facts: names, labels, ports, chart versions, well-known Azure ids and endpoints.
 * This is the only place they are written; everything else imports them.
 *
 * Chart facts were read from the templates and values of the exact chart versions pinned below
 * (cert-manager v1.21.1: deploy/charts/cert-manager; nginx-ingress 2.6.4: charts/nginx-ingress at
 * tag v5.5.4), and our Helm values were validated against each chart's values.schema.json merged
 * with its defaults. When a chart is bumped, re-check every label, port and value key.
 */

/** Label every namespace carries; the API server sets it to the namespace's name. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** Label the platform puts on every namespace it manages, so policies and audits can find them. */
export const MANAGED_NAMESPACE_LABEL = "aks-platform/managed";

/** Label (on a namespace) naming the platform role of a namespace. */
export const NAMESPACE_ROLE_LABEL = "aks-platform/role";

export type Protocol = "TCP" | "UDP";

export interface PortFact {
    readonly name: string;
    readonly port: number;
    readonly protocol: Protocol;
}

/** Kubernetes system facts (AKS). */
export const kubeSystem = {
    namespace: "kube-system",
    /** CoreDNS pods on AKS. */
    dnsPodLabels: { "k8s-app": "kube-dns" } as Readonly<Record<string, string>>,
    dnsPorts: [
        { name: "dns", port: 53, protocol: "UDP" },
        { name: "dns-tcp", port: 53, protocol: "TCP" },
    ] as readonly PortFact[],
    /** The konnectivity agents tunnel API-server-to-pod calls when the API server is not VNet integrated. */
    konnectivityAgentLabels: { app: "konnectivity-agent" } as Readonly<Record<string, string>>,
    /** Port of the `kubernetes` Service that pods use to reach the API server. */
    apiServerPort: 443,
} as const;

/** cert-manager (jetstack chart). */
export const certManager = {
    chart: "cert-manager",
    repository: "https://charts.jetstack.io",
    version: "v1.21.1",
    releaseName: "cert-manager",
    namespace: "cert-manager",
    /** The controller's service account: the chart names it after the release. */
    controllerServiceAccount: "cert-manager",
    webhookServiceAccount: "cert-manager-webhook",
    cainjectorServiceAccount: "cert-manager-cainjector",
    startupApiCheckServiceAccount: "cert-manager-startupapicheck",
    podLabels: {
        controller: { "app.kubernetes.io/name": "cert-manager", "app.kubernetes.io/component": "controller" },
        webhook: { "app.kubernetes.io/name": "webhook", "app.kubernetes.io/component": "webhook" },
        cainjector: { "app.kubernetes.io/name": "cainjector", "app.kubernetes.io/component": "cainjector" },
        startupApiCheck: { "app.kubernetes.io/name": "startupapicheck", "app.kubernetes.io/component": "startupapicheck" },
    },
    ports: {
        metrics: { name: "http-metrics", port: 9402, protocol: "TCP" } as PortFact,
        controllerHealthz: { name: "http-healthz", port: 9403, protocol: "TCP" } as PortFact,
        webhookServing: { name: "https", port: 10250, protocol: "TCP" } as PortFact,
        webhookHealthz: { name: "healthcheck", port: 6080, protocol: "TCP" } as PortFact,
    },
    /** Reference it in a ClusterIssuer's solvers: the chart sets this on the controller pods. */
    workloadIdentityUseLabel: { "azure.workload.identity/use": "true" } as Readonly<Record<string, string>>,
    workloadIdentityClientIdAnnotation: "azure.workload.identity/client-id",
} as const;

/** NGINX Ingress Controller by F5 (nginx/kubernetes-ingress), chart `nginx-ingress`. */
export const nginxIngress = {
    chart: "oci://ghcr.io/nginx/charts/nginx-ingress",
    version: "2.6.4", // controller 5.5.4: the newest tagged release (July 2026) we could read the templates of
    releaseName: "nginx-ingress",
    namespace: "nginx-ingress",
    ingressClassName: "nginx",
    /** The chart labels controller pods with these two only (no component label). */
    podLabels: (releaseName: string): Readonly<Record<string, string>> => ({
        "app.kubernetes.io/name": "nginx-ingress",
        "app.kubernetes.io/instance": releaseName,
    }),
    ports: {
        http: { name: "http", port: 80, protocol: "TCP" } as PortFact,
        https: { name: "https", port: 443, protocol: "TCP" } as PortFact,
        metrics: { name: "prometheus", port: 9113, protocol: "TCP" } as PortFact,
        readiness: { name: "readiness-port", port: 8081, protocol: "TCP" } as PortFact,
    },
    /** Secret holding the wildcard certificate, the controller's default TLS certificate. */
    wildcardSecretName: "wildcard-tls",
} as const;

/** cert-manager's istio-csr (optional): Istio's CA through cert-manager (jetstack chart cert-manager-istio-csr). */
export const istioCsr = {
    chart: "cert-manager-istio-csr",
    repository: "https://charts.jetstack.io",
    version: "v0.17.0",
    releaseName: "cert-manager-istio-csr",
    namespace: "istio-csr",
    /** The chart labels its pods `app` and `app.kubernetes.io/name` with the chart name, plus the instance. */
    podLabels: { "app.kubernetes.io/name": "cert-manager-istio-csr", "app.kubernetes.io/instance": "cert-manager-istio-csr" } as Readonly<Record<string, string>>,
    ports: {
        /** gRPC certificate service (the Service's 443 targets it). */
        grpc: { name: "grpc", port: 6443, protocol: "TCP" } as PortFact,
        metrics: { name: "metrics", port: 9402, protocol: "TCP" } as PortFact,
    },
} as const;

/** Azure facts. */
export const azure = {
    /**
     * Built-in role ids (learn.microsoft.com/azure/role-based-access-control/built-in-roles): the same
     * GUID in every subscription and cloud.
     */
    roles: {
        networkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7",
        /** "Azure Kubernetes Service RBAC Cluster Admin": full Kubernetes API rights with Azure RBAC. */
        aksRbacClusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
        /** "Azure Kubernetes Service Cluster User Role": may fetch the user kubeconfig (listClusterUserCredential). */
        aksClusterUser: "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
    },
    /**
     * What cert-manager's Azure DNS solver does with `hostedZoneName` set: get, create/update and
     * delete TXT record sets, nothing else (cert-manager v1.21.1 pkg/issuer/acme/dns/azuredns/
     * azuredns.go: getHostedZoneName returns the configured zone without a Zones call; updateTXTRecord
     * uses the RecordSets client on TXT only). The platform's custom role grants exactly these.
     */
    dnsTxtRecordActions: [
        "Microsoft.Network/dnszones/TXT/read",
        "Microsoft.Network/dnszones/TXT/write",
        "Microsoft.Network/dnszones/TXT/delete",
    ] as readonly string[],
    /** Azure Load Balancer health probes come from this address. */
    loadBalancerProbeSource: "168.63.129.16/32",
    /** Instance metadata endpoint; the platform never needs it (workload identity instead). */
    instanceMetadataAddress: "169.254.169.254/32",
    /** Audience of federated identity credentials for workload identity. */
    workloadIdentityAudience: "api://AzureADTokenExchange",
    cloudEnvironment: "AzurePublicCloud",
    /** Subnet delegation AKS requires for API server VNet integration. */
    apiServerSubnetDelegation: "Microsoft.ContainerService/managedClusters",
} as const;

/**
 * The platform's own PriorityClass for the ingress controller and cert-manager: above every
 * workload (default 0), below Kubernetes' system classes (2,000,000,000+), so node pressure evicts
 * apps before the front door or certificate renewal. User classes may go up to 1,000,000,000
 * (kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption).
 */
export const platformPriorityClass = {
    name: "platform-critical",
    value: 1_000_000_000,
} as const;

/** Let's Encrypt ACME endpoints (letsencrypt.org/docs). */
export const letsEncrypt = {
    staging: {
        issuerName: "letsencrypt-staging",
        server: "https://acme-staging-v02.api.letsencrypt.org/directory",
    },
    production: {
        issuerName: "letsencrypt-production",
        server: "https://acme-v02.api.letsencrypt.org/directory",
    },
    caaIssuer: "letsencrypt.org",
} as const;

export type IssuerName = typeof letsEncrypt.staging.issuerName | typeof letsEncrypt.production.issuerName;
export const ISSUER_NAMES: readonly IssuerName[] = [letsEncrypt.staging.issuerName, letsEncrypt.production.issuerName];

/** Internal CA for in-cluster TLS. */
export const internalCa = {
    selfSignedIssuerName: "platform-selfsigned",
    caIssuerName: "platform-internal-ca",
    caCertificateName: "platform-internal-ca",
    caSecretName: "platform-internal-ca",
} as const;

/** Private (RFC 1918, CGNAT, link-local) IPv4 ranges: egress "to the internet" excepts these. */
export const PRIVATE_IPV4_RANGES: readonly string[] = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "169.254.0.0/16",
];

/**
 * Azure's platform address (WireServer, DNS, load balancer probes): public-looking but not a
 * public service, so "the internet" excludes it.
 */
export const AZURE_PLATFORM_ADDRESSES: readonly string[] = ["168.63.129.16/32"];

/** Namespaces that belong to Kubernetes or AKS: never usable as application namespaces. */
export const SYSTEM_NAMESPACES: readonly string[] = [
    "default",
    "kube-system",
    "kube-public",
    "kube-node-lease",
    "gatekeeper-system",
    "calico-system",
    "tigera-operator",
    "app-routing-system",
];

/** The cert-manager controller's identity as the cluster's OIDC issuer states it. */
export function serviceAccountSubject(namespace: string, serviceAccount: string): string {
    return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

/** Application workloads the platform deploys from config. */
export const apps = {
    /** Label keys on every app pod; the value of the name label is the app's name. */
    nameLabel: "app.kubernetes.io/name",
    partOfLabel: "app.kubernetes.io/part-of",
    partOfValue: "platform-apps",
    podLabels: (name: string): Readonly<Record<string, string>> => ({
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/part-of": "platform-apps",
    }),
    containerPortName: "http",
    /** Port the app's ClusterIP Service exposes (targets the container port). */
    servicePort: 80,
} as const;

/** cert-manager's HTTP-01 solver pods (created per challenge in the Certificate's namespace). */
export const http01Solver = {
    podLabels: { "acme.cert-manager.io/http01-solver": "true" } as Readonly<Record<string, string>>,
    port: { name: "http", port: 8089, protocol: "TCP" } as PortFact,
} as const;

/** Where alert runbook links point: the docs/ folder of this repository as published. */
export const RUNBOOK_BASE_URL = "https://github.com/aks-platform/aks-platform/blob/main/docs";

/** Cilium, the cluster's policy engine (AKS: Azure CNI powered by Cilium). */
export const cilium = {
    apiVersion: "cilium.io/v2",
    kind: "CiliumNetworkPolicy",
    /** Cilium's reserved identity for the API server's addresses; an ipBlock never matches it. */
    apiServerEntity: "kube-apiserver",
    /**
     * The identities the API server's calls into pods (admission webhooks) carry on AKS: they are
     * tunnelled through the nodes, so Cilium sees `remote-node` (`host` on the pod's own node), never
     * `kube-apiserver` (cilium/cilium issue 31711, Hubble output on AKS; Cilium docs,
     * Documentation/security/policy/layer3.rst "Entities based", the note added by PR 32464).
     */
    apiServerCallerEntities: ["remote-node", "host"] as readonly string[],
    /** The label Cilium gives every endpoint with its pod's namespace (selects pods of another namespace). */
    podNamespaceLabel: "k8s:io.kubernetes.pod.namespace",
} as const;

/** HTTPS to public services: ACME (Let's Encrypt), Azure Resource Manager, Entra ID. */
export const PUBLIC_HTTPS_PORT: PortFact = { name: "https", port: 443, protocol: "TCP" };

/** Metadata on every policy the platform emits, visible with kubectl describe. */
export const policyMetadata = {
    /** Label: `default-deny`, `allow-dns` or `flow`. */
    roleLabel: "aks-platform/policy",
    /** Annotations on flow policies: the flow's name and why it exists. */
    flowAnnotation: "aks-platform/flow",
    whyAnnotation: "aks-platform/why",
} as const;

/**
 * Azure Monitor managed service for Prometheus: the AKS metrics add-on (`ama-metrics`) that
 * `azureMonitorProfile.metrics.enabled` installs, and the Azure resources it writes to.
 *
 * Read from Azure/prometheus-collector (commit 39583fd, 2026-07-21), the add-on's own chart:
 * otelcollector/deploy/addon-chart/azure-monitor-metrics-addon/templates/
 * - ama-metrics-deployment.yaml: Deployment `ama-metrics` in kube-system, pods labelled
 *   `rsName: ama-metrics` (and `kubernetes.azure.com/managedby: aks`). It is the only collector that
 *   mounts the target allocator's client certificate (`ama-metrics-operator-targets-client-tls-secret`),
 *   so it is the one that scrapes PodMonitor/ServiceMonitor targets.
 * - ama-metrics-daemonset.yaml: DaemonSet `ama-metrics-node`, pods `dsName: ama-metrics-node`:
 *   node-local targets (kubelet, cAdvisor, node exporter), never custom resources.
 * - ama-metrics-targetallocator.yaml: Deployment `ama-metrics-operator-targets`, pods
 *   `rsName: ama-metrics-operator-targets`: reads the custom resources from the API server and hands
 *   targets to the collectors; it scrapes nothing itself.
 * - No template sets `hostNetwork`, so every add-on pod has a pod address and Cilium gives it the
 *   identity of its labels: a namespaceSelector + podSelector peer selects the collector.
 * - ama-metrics-podmonitor-crd.yaml / ama-metrics-servicemonitor-crd.yaml: PodMonitor and
 *   ServiceMonitor in API group `azmonitoring.coreos.com`, version v1; internal/docs/Operator-CRD.md:
 *   the add-on ignores `monitoring.coreos.com` objects (isolation from a team's own operator).
 * The collector scrapes each target on the target's own metrics port (cert-manager 9402, NGINX 9113).
 */
export const azureMonitor = {
    namespace: "kube-system",
    /** The ReplicaSet collector: the source of every scrape of a PodMonitor target. */
    collectorPodLabels: { rsName: "ama-metrics" } as Readonly<Record<string, string>>,
    nodeCollectorPodLabels: { dsName: "ama-metrics-node" } as Readonly<Record<string, string>>,
    targetAllocatorPodLabels: { rsName: "ama-metrics-operator-targets" } as Readonly<Record<string, string>>,
    /** The add-on's pods use the pod network (no hostNetwork). */
    collectorHostNetwork: false,
    /** API version of the add-on's PodMonitor and ServiceMonitor. */
    scrapeApiVersion: "azmonitoring.coreos.com/v1",
    /**
     * The data collection rule's stream, data source and destination, as Azure's own onboarding
     * templates write them (AddonBicepTemplate/FullAzureMonitorMetricsProfile.bicep,
     * AddonTerraformTemplate/main.tf): kind Linux, stream Microsoft-PrometheusMetrics from a
     * `prometheusForwarder` source to the workspace as a `monitoringAccounts` destination.
     */
    dataCollectionKind: "Linux",
    prometheusStream: "Microsoft-PrometheusMetrics",
    /** Metrics the platform's scrape objects collect per interval (cert-manager's chart default is 60s too). */
    scrapeInterval: "60s",
    /** Rule groups evaluate every minute (the default, `PT1M`; Azure accepts 1 to 15 minutes). */
    ruleGroupInterval: "PT1M",
    /** Action groups are global resources (learn.microsoft.com/azure/azure-monitor/alerts/resource-manager-action-groups). */
    actionGroupLocation: "Global",
    /** An action group's short name is at most 12 characters (same page). */
    actionGroupShortNameMax: 12,
    /** Name limits of Azure's onboarding templates: data collection endpoint 44, rule 64. */
    dataCollectionEndpointNameMax: 44,
    dataCollectionRuleNameMax: 64,
} as const;
