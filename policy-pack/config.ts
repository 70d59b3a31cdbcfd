/**
 * The policy pack's configuration: one set of keys shared by every rule, its JSON schema (each
 * rule declares the keys it reads as its `configSchema`), and the defaults, applied in code.
 *
 * Pulumi's policy config file is per policy (`{"<policy-name>": {"enforcementLevel": ..., key: value}}`,
 * plus `"all"` for a pack-wide enforcement level). `getConfig()` in a real run returns only what the
 * file sets for that policy (the engine fills schema defaults, tests do not), so `resolveConfig`
 * merges the file's values over `DEFAULTS` and every rule reads the result.
 *
 * The defaults describe the platform this pack ships with (chart labels and ports of cert-manager
 * v1.21.1 and F5 NGINX Ingress Controller chart 2.6.4, read from their templates): the pack never imports
 * the program, so they are written here again. A team running different charts overrides `endpoints`.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** Where each rule's README section lives (the `url` of every policy). Change it when you fork. */
export const README_URL = "https://github.com/aks-platform/aks-platform/blob/main/policy-pack/README.md";

export type Protocol = "TCP" | "UDP" | "SCTP";

export interface EndpointPort {
    name?: string;
    port: number;
    protocol: Protocol;
}

/**
 * Pods the stack does not declare as workloads (Helm chart pods, kube-dns, Prometheus), described so
 * the reachability rules can synthesize a probe pod for them.
 */
export interface EndpointSpec {
    namespace: string;
    labels: Record<string, string>;
    ports: EndpointPort[];
    /**
     * `always`: the pods exist whatever the stack does (kube-dns, an outside Prometheus).
     * `with-namespace`: only when the stack creates the namespace or installs a Helm chart into it.
     */
    present: "always" | "with-namespace";
}

/** A flow that must be open: endpoint names (`endpoints`, `externals`, or `kube-apiserver`) and probes. */
export interface FlowSpec {
    name: string;
    from: string;
    to: string;
    /** `PORT/PROTOCOL` probes, e.g. `443/TCP`. */
    ports: string[];
    why?: string;
}

export type Environment = "prod" | "nonprod";

export interface PackConfig {
    /** `prod`, `staging`, `dev`...; empty: taken from the stack name in the URNs (a name containing `prod` is prod). */
    environment: string;
    /** Namespaces the default-deny rule skips (`namespace-default-deny`). */
    exemptNamespaces: string[];
    /** ClusterIssuers defined outside the stack that certificates may use. */
    allowedIssuers: string[];
    /** Namespaced `Issuer`s allowed anyway, as `namespace/name` (`*` wildcards). */
    allowedNamespacedIssuers: string[];
    /** Services and Helm releases allowed to be NodePort/LoadBalancer, as `namespace/name` (`*` wildcards). */
    exposedServiceAllowlist: string[];
    /** NetworkPolicies / CiliumNetworkPolicies allowed to be broad, as `namespace/name` (`*` wildcards). */
    broadAllowExceptions: string[];
    /** Egress ports an `ipBlock` of 0.0.0.0/0 (or `toEntities: world`) may open. */
    allowedBroadEgressPorts: string[];
    /** Ports the ingress controller may take from 0.0.0.0/0. */
    publicIngressPorts: string[];
    /** Name (in `endpoints`) of the ingress controller's pods. */
    ingressControllerEndpoint: string;
    /** Name (in `endpoints`) of the cluster DNS pods. */
    dnsEndpoint: string;
    /** How NetworkPolicies are enforced: `cilium` (the platform's clusters) or plain `kubernetes`. */
    dataplane: "cilium" | "kubernetes";
    endpoints: Record<string, EndpointSpec>;
    /** Named addresses outside the cluster (`NAME: CIDR or IP`) for flows. */
    externals: Record<string, string>;
    requiredFlows: FlowSpec[];
    /** Labels that mark a Namespace as an application namespace (closed to every other one). */
    appNamespaceLabels: Record<string, string>;
    /** Probes used to prove app namespaces are closed to each other (plus every container port). */
    isolationProbes: string[];
    /** DNS zones Ingress TLS hosts must lie in, besides the stack's own `azure-native:dns:Zone`s. */
    dnsZones: string[];
    /** ACME directory URLs of Let's Encrypt production and staging. */
    letsEncryptProductionServers: string[];
    letsEncryptStagingServers: string[];
    /** cert-manager's namespace (its identity's federated subject and role assignments). */
    certManagerNamespace: string;
    /** Minimum replicas of cert-manager's controller and webhook in prod. */
    certManagerMinReplicas: number;
    /** Most certificates the stack may ask Let's Encrypt production for per registered domain (its weekly limit is 50). */
    letsEncryptCertificatesPerWeek: number;
}

const CERT_MANAGER_NS = "cert-manager";
const NGINX_NS = "nginx-ingress";

function certManagerLabels(name: string, component: string, app: string): Record<string, string> {
    return {
        app,
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/instance": "cert-manager",
    };
}

/** The endpoint name of the AKS metrics add-on's collector pods (required-flows checks PodMonitor scrapes from it). */
export const METRICS_COLLECTOR_ENDPOINT = "ama-metrics";

export const DEFAULTS: Readonly<PackConfig> = Object.freeze({
    environment: "",
    exemptNamespaces: [],
    allowedIssuers: [],
    allowedNamespacedIssuers: [],
    exposedServiceAllowlist: [`${NGINX_NS}/*`],
    broadAllowExceptions: [],
    allowedBroadEgressPorts: ["443/TCP"],
    publicIngressPorts: ["80/TCP", "443/TCP"],
    ingressControllerEndpoint: "nginx-ingress-controller",
    dnsEndpoint: "kube-dns",
    dataplane: "cilium",
    endpoints: {
        "kube-dns": {
            namespace: "kube-system",
            labels: { "k8s-app": "kube-dns" },
            ports: [{ name: "dns", port: 53, protocol: "UDP" }, { name: "dns-tcp", port: 53, protocol: "TCP" }],
            present: "always",
        },
        "cert-manager-controller": {
            namespace: CERT_MANAGER_NS,
            labels: certManagerLabels("cert-manager", "controller", "cert-manager"),
            ports: [{ name: "http-metrics", port: 9402, protocol: "TCP" }, { name: "http-healthz", port: 9403, protocol: "TCP" }],
            present: "with-namespace",
        },
        "cert-manager-webhook": {
            namespace: CERT_MANAGER_NS,
            labels: certManagerLabels("webhook", "webhook", "webhook"),
            ports: [
                { name: "https", port: 10250, protocol: "TCP" },
                { name: "healthcheck", port: 6080, protocol: "TCP" },
                { name: "http-metrics", port: 9402, protocol: "TCP" },
            ],
            present: "with-namespace",
        },
        "cert-manager-cainjector": {
            namespace: CERT_MANAGER_NS,
            labels: certManagerLabels("cainjector", "cainjector", "cainjector"),
            ports: [{ name: "http-metrics", port: 9402, protocol: "TCP" }],
            present: "with-namespace",
        },
        "cert-manager-startupapicheck": {
            namespace: CERT_MANAGER_NS,
            labels: certManagerLabels("startupapicheck", "startupapicheck", "startupapicheck"),
            ports: [],
            present: "with-namespace",
        },
        "nginx-ingress-controller": {
            namespace: NGINX_NS,
            labels: { "app.kubernetes.io/name": "nginx-ingress", "app.kubernetes.io/instance": "nginx-ingress" },
            ports: [
                { name: "http", port: 80, protocol: "TCP" },
                { name: "https", port: 443, protocol: "TCP" },
                { name: "prometheus", port: 9113, protocol: "TCP" },
                { name: "readiness-port", port: 8081, protocol: "TCP" },
            ],
            present: "with-namespace",
        },
        monitoring: {
            namespace: "monitoring",
            labels: { "app.kubernetes.io/name": "prometheus" },
            ports: [],
            present: "always",
        },
        // The AKS metrics add-on's collector, which scrapes azmonitoring.coreos.com PodMonitor targets
        // (Azure/prometheus-collector addon-chart templates: ReplicaSet pods labelled rsName: ama-metrics in kube-system).
        [METRICS_COLLECTOR_ENDPOINT]: {
            namespace: "kube-system",
            labels: { rsName: "ama-metrics" },
            ports: [],
            present: "always",
        },
    },
    externals: {
        // Representative public addresses: ACME (acme-v02.api.letsencrypt.org), Entra ID
        // (login.microsoftonline.com is in 20.190.128.0/18), the default recursive resolvers, and a client.
        "letsencrypt-acme": "172.65.32.248/32",
        "entra-id": "20.190.128.10/32",
        "recursive-dns-1": "1.1.1.1/32",
        "recursive-dns-2": "8.8.8.8/32",
        "internet-client": "203.0.113.50/32",
    },
    requiredFlows: [
        { name: "apiserver-to-cert-manager-webhook", from: "kube-apiserver", to: "cert-manager-webhook", ports: ["10250/TCP"], why: "admission calls" },
        { name: "cert-manager-controller-to-apiserver", from: "cert-manager-controller", to: "kube-apiserver", ports: ["443/TCP"] },
        { name: "cert-manager-webhook-to-apiserver", from: "cert-manager-webhook", to: "kube-apiserver", ports: ["443/TCP"] },
        { name: "cert-manager-cainjector-to-apiserver", from: "cert-manager-cainjector", to: "kube-apiserver", ports: ["443/TCP"] },
        { name: "cert-manager-startupapicheck-to-apiserver", from: "cert-manager-startupapicheck", to: "kube-apiserver", ports: ["443/TCP"], why: "Helm post-install hook" },
        { name: "cert-manager-controller-to-acme", from: "cert-manager-controller", to: "letsencrypt-acme", ports: ["443/TCP"] },
        { name: "cert-manager-controller-to-entra-id", from: "cert-manager-controller", to: "entra-id", ports: ["443/TCP"] },
        { name: "cert-manager-controller-to-recursive-dns-1", from: "cert-manager-controller", to: "recursive-dns-1", ports: ["53/UDP", "53/TCP"] },
        { name: "cert-manager-controller-to-recursive-dns-2", from: "cert-manager-controller", to: "recursive-dns-2", ports: ["53/UDP", "53/TCP"] },
        { name: "monitoring-to-cert-manager-controller-metrics", from: "monitoring", to: "cert-manager-controller", ports: ["9402/TCP"] },
        { name: "monitoring-to-cert-manager-webhook-metrics", from: "monitoring", to: "cert-manager-webhook", ports: ["9402/TCP"] },
        { name: "monitoring-to-cert-manager-cainjector-metrics", from: "monitoring", to: "cert-manager-cainjector", ports: ["9402/TCP"] },
        { name: "monitoring-to-nginx-ingress-metrics", from: "monitoring", to: "nginx-ingress-controller", ports: ["9113/TCP"] },
        { name: "nginx-ingress-controller-to-apiserver", from: "nginx-ingress-controller", to: "kube-apiserver", ports: ["443/TCP"] },
        { name: "internet-to-nginx-ingress", from: "internet-client", to: "nginx-ingress-controller", ports: ["80/TCP", "443/TCP"], why: "the front door" },
    ],
    appNamespaceLabels: { "aks-platform/role": "app" },
    isolationProbes: ["80/TCP", "443/TCP", "8080/TCP"],
    dnsZones: [],
    letsEncryptProductionServers: ["https://acme-v02.api.letsencrypt.org/directory"],
    letsEncryptStagingServers: ["https://acme-staging-v02.api.letsencrypt.org/directory"],
    certManagerNamespace: CERT_MANAGER_NS,
    certManagerMinReplicas: 2,
    letsEncryptCertificatesPerWeek: 50,
} satisfies PackConfig);

const stringList = (description: string): PolicyConfigJSONSchema => ({ type: "array", items: { type: "string" }, description });
const probeList = (description: string): PolicyConfigJSONSchema => ({ type: "array", items: { type: "string", pattern: "^[0-9]{1,5}/(TCP|UDP|SCTP)$" }, description });
const stringMap = (description: string): PolicyConfigJSONSchema => ({ type: "object", additionalProperties: { type: "string" }, description });

const ENDPOINT_SCHEMA: PolicyConfigJSONSchema = {
    type: "object",
    required: ["namespace", "labels", "ports"],
    properties: {
        namespace: { type: "string" },
        labels: stringMap("pod labels"),
        ports: {
            type: "array",
            items: {
                type: "object",
                required: ["port", "protocol"],
                properties: { name: { type: "string" }, port: { type: "integer", minimum: 1, maximum: 65535 }, protocol: { enum: ["TCP", "UDP", "SCTP"] } },
            },
        },
        present: { enum: ["always", "with-namespace"] },
    },
};

/** JSON schema of every key; a rule's `configSchema` is the subset it reads. */
export const SCHEMA: Readonly<Record<keyof PackConfig, PolicyConfigJSONSchema>> = {
    environment: { type: "string", description: "Stack environment (prod, staging, dev); empty: from the stack name.", default: DEFAULTS.environment },
    exemptNamespaces: { ...stringList("Namespaces without a default-deny requirement."), default: DEFAULTS.exemptNamespaces },
    allowedIssuers: { ...stringList("ClusterIssuers defined outside the stack that may be used."), default: DEFAULTS.allowedIssuers },
    allowedNamespacedIssuers: { ...stringList("namespace/name of Issuers allowed anyway (* wildcards)."), default: DEFAULTS.allowedNamespacedIssuers },
    exposedServiceAllowlist: { ...stringList("namespace/name of Services and Helm releases that may be NodePort/LoadBalancer."), default: DEFAULTS.exposedServiceAllowlist },
    broadAllowExceptions: { ...stringList("namespace/name of network policies allowed to be broad."), default: DEFAULTS.broadAllowExceptions },
    allowedBroadEgressPorts: { ...probeList("Egress ports 0.0.0.0/0 may open."), default: DEFAULTS.allowedBroadEgressPorts },
    publicIngressPorts: { ...probeList("Ports the ingress controller may take from 0.0.0.0/0."), default: DEFAULTS.publicIngressPorts },
    ingressControllerEndpoint: { type: "string", description: "Endpoint name of the ingress controller pods.", default: DEFAULTS.ingressControllerEndpoint },
    dnsEndpoint: { type: "string", description: "Endpoint name of the cluster DNS pods.", default: DEFAULTS.dnsEndpoint },
    dataplane: { enum: ["cilium", "kubernetes"], description: "NetworkPolicy enforcement semantics.", default: DEFAULTS.dataplane },
    endpoints: { type: "object", additionalProperties: ENDPOINT_SCHEMA, description: "Pods the stack does not declare (chart pods, kube-dns, Prometheus).", default: DEFAULTS.endpoints },
    externals: { ...stringMap("Named addresses outside the cluster (CIDR or IP)."), default: DEFAULTS.externals },
    requiredFlows: {
        type: "array",
        items: {
            type: "object",
            required: ["name", "from", "to", "ports"],
            properties: { name: { type: "string" }, from: { type: "string" }, to: { type: "string" }, ports: probeList("probes"), why: { type: "string" } },
        },
        description: "Flows that must be open.",
        default: DEFAULTS.requiredFlows,
    },
    appNamespaceLabels: { ...stringMap("Labels marking application namespaces."), default: DEFAULTS.appNamespaceLabels },
    isolationProbes: { ...probeList("Probes proving app namespaces are closed to each other."), default: DEFAULTS.isolationProbes },
    dnsZones: { ...stringList("DNS zones TLS hosts may lie in, besides the stack's zones."), default: DEFAULTS.dnsZones },
    letsEncryptProductionServers: { ...stringList("Let's Encrypt production ACME directory URLs."), default: DEFAULTS.letsEncryptProductionServers },
    letsEncryptStagingServers: { ...stringList("Let's Encrypt staging ACME directory URLs."), default: DEFAULTS.letsEncryptStagingServers },
    certManagerNamespace: { type: "string", description: "cert-manager's namespace.", default: DEFAULTS.certManagerNamespace },
    certManagerMinReplicas: { type: "integer", minimum: 1, description: "Minimum cert-manager replicas in prod.", default: DEFAULTS.certManagerMinReplicas },
    letsEncryptCertificatesPerWeek: { type: "integer", minimum: 1, description: "Most certificates per registered domain from Let's Encrypt production (letsencrypt.org/docs/rate-limits: 50 per week).", default: DEFAULTS.letsEncryptCertificatesPerWeek },
};

/** A rule's `configSchema`: the keys it reads. */
export function configSchemaFor(keys: readonly (keyof PackConfig)[]): PolicyConfigSchema {
    return { properties: Object.fromEntries(keys.map((k) => [k, SCHEMA[k]])) };
}

/** A deep, plain copy (also unwraps the runtime's proxies). */
function copy<T>(v: T): T {
    return JSON.parse(JSON.stringify(v)) as T;
}

/**
 * Defaults, overridden key by key by what `getConfig()` returned. `endpoints` and `externals` merge
 * by name (so overriding one endpoint keeps the others); every other key replaces the default.
 */
export function resolveConfig(raw: object | undefined): PackConfig {
    const key = JSON.stringify(raw ?? {});
    const cached = resolved.get(key);
    if (cached) return cached;
    const cfg = mergeConfig(raw);
    if (resolved.size > 100) resolved.clear();
    resolved.set(key, cfg);
    return cfg;
}

/** Resolved configs by their JSON (resource rules resolve once per resource: keep that cheap). */
const resolved = new Map<string, PackConfig>();

function deepFreeze<T>(v: T): T {
    if (typeof v === "object" && v !== null) {
        for (const x of Object.values(v)) deepFreeze(x);
        Object.freeze(v);
    }
    return v;
}

function mergeConfig(raw: object | undefined): PackConfig {
    const cfg = copy(DEFAULTS) as PackConfig;
    const given = (raw ?? {}) as Partial<Record<keyof PackConfig, unknown>>;
    for (const key of Object.keys(SCHEMA) as (keyof PackConfig)[]) {
        const v = given[key];
        if (v === undefined || v === null) continue;
        if (key === "endpoints" || key === "externals") {
            Object.assign(cfg[key], copy(v));
        } else {
            (cfg as unknown as Record<string, unknown>)[key] = copy(v);
        }
    }
    checkReferences(cfg);
    return deepFreeze(cfg);
}

/**
 * Names that must refer to something the config defines (JSON schema cannot say so): a typo would
 * silently turn a check off. Throws, naming the key, the value and the names it could be.
 */
export function checkReferences(cfg: PackConfig): void {
    const endpoints = Object.keys(cfg.endpoints);
    const flowEnds = new Set([...endpoints, ...Object.keys(cfg.externals), "kube-apiserver"]);
    const problems: string[] = [];
    for (const key of ["dnsEndpoint", "ingressControllerEndpoint"] as const) {
        if (!endpoints.includes(cfg[key])) problems.push(`${key} = ${JSON.stringify(cfg[key])} is not one of the endpoints (${endpoints.join(", ")})`);
    }
    cfg.requiredFlows.forEach((f, i) => {
        for (const end of ["from", "to"] as const) {
            if (!flowEnds.has(f[end])) problems.push(`requiredFlows[${i}].${end} = ${JSON.stringify(f[end])} (flow ${f.name}) is not an endpoint, an external or kube-apiserver`);
        }
    });
    if (problems.length > 0) throw new Error(`policy config: ${problems.join("; ")}; fix the name or define it under endpoints/externals`);
}

/** The stack name in a URN (`urn:pulumi:<stack>::<project>::...`). */
export function stackOfUrn(urn: string): string | undefined {
    const m = /^urn:pulumi:([^:]+)::/.exec(urn);
    return m ? m[1] : undefined;
}

/** Prod or not: from `environment`, else from the stack name in a URN. */
export function environmentOf(cfg: PackConfig, urn: string | undefined): { env: Environment; from: string } {
    if (cfg.environment) return { env: /prod/i.test(cfg.environment) ? "prod" : "nonprod", from: `config environment "${cfg.environment}"` };
    const stack = urn ? stackOfUrn(urn) : undefined;
    if (stack) return { env: /prod/i.test(stack) ? "prod" : "nonprod", from: `stack name "${stack}"` };
    return { env: "nonprod", from: "no environment configured and no stack name" };
}
