/**
 * Every stack configuration key, once: its schema (type and range, as zod), description, default
 * (per environment where it differs), example, and whether it is required. Everything else is
 * generated from this table and checked in tests: the validation (`parse.ts`), Pulumi.yaml's
 * `config:` block and the configuration table of docs/configuration.md (`plan/config-docs.ts`), and the JSON Schema
 * of stack files (`stacks/stack-config.schema.json`).
 *
 * Why zod: one declaration gives the TypeScript type, the validator with paths into nested values,
 * strict objects (unknown keys are errors at any depth) and a JSON Schema (`z.toJSONSchema`) for
 * editors, without a second hand-written copy of any of them.
 *
 * Descriptions say what a key means; ranges and allowed values live only in the schema and are
 * rendered from it.
 */
import { z } from "zod";
import { isDns1123Label, isFqdn, isLabelKey, isLabelValue } from "../../policy-pack/shared/names";
import { parseCidr, parseIp } from "../../policy-pack/shared/net";

/** The Pulumi project name: config keys live in this namespace (`aks-platform:<key>`). */
export const PROJECT = "aks-platform";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** A default that differs by environment. */
export interface ByEnvironment<T> {
    readonly kind: "by-environment";
    readonly values: Readonly<Record<Environment, T>>;
}
/** A default taken from another key's value. */
export interface SameAs {
    readonly kind: "same-as";
    readonly key: string;
}

export function byEnvironment<const T>(values: Record<Environment, T>): ByEnvironment<T> {
    return { kind: "by-environment", values };
}
function sameAs(key: string): SameAs {
    return { kind: "same-as", key };
}

export interface KeyDef<S extends z.ZodType = z.ZodType> {
    readonly schema: S;
    readonly description: string;
    /** Config namespace; the project's own unless a provider owns the key. */
    readonly namespace?: string;
    /** Required on every stack: Pulumi.yaml declares it without a default, so the CLI enforces it too. */
    readonly required?: { readonly hint: string };
    readonly default?: z.output<S> | ByEnvironment<z.output<S>> | SameAs;
    readonly example: z.input<S>;
}

function key<S extends z.ZodType>(def: KeyDef<S>): KeyDef<S> {
    return def;
}

// ---------------------------------------------------------------------------------------------
// Value schemas. Each carries the message a user sees, naming what is allowed.

export function intRange(min: number, max: number, why?: string): z.ZodNumber {
    const error = `must be a whole number from ${min} to ${max}${why ? `: ${why}` : ""}`;
    return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

const EMAIL = z.email({ error: 'must be an email address like "platform-team@example.com"' });

/** A string that passes `test`, with `message` otherwise. */
function pattern(test: (s: string) => boolean, message: string): z.ZodString {
    return z.string({ error: message }).refine(test, { error: message });
}

export const ipv4Cidr = pattern((s) => {
    const c = parseCidr(s);
    return c !== undefined && c.family === 4 && s === `${formatIpv4(c.start)}/${c.prefix}`;
}, 'must be an IPv4 CIDR with the host bits zero, like "10.10.0.0/16"');

const ipv4Address = pattern((s) => parseIp(s)?.family === 4, 'must be an IPv4 address like "10.0.0.10"');

const fqdn = pattern(isFqdn, 'must be a lowercase fully qualified domain name without a trailing dot, like "dev.example.com"');

const dnsLabel = (what: string): z.ZodString =>
    pattern(isDns1123Label, `must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters) because it names ${what}`);

/** A map of Kubernetes labels; each bad key or value is reported at its own path. */
const labelMap = z.record(z.string(), z.string({ error: "must be a string label value" }), { error: "must be a map of Kubernetes labels, like { app.kubernetes.io/name: prometheus }" })
    .superRefine((m, ctx) => {
        if (Object.keys(m).length === 0) ctx.addIssue({ code: "custom", message: "must name at least one label" });
        for (const [k, v] of Object.entries(m)) {
            if (!isLabelKey(k)) ctx.addIssue({ code: "custom", path: [k], message: 'is not a Kubernetes label key; use a name like "app.kubernetes.io/name" (optional DNS prefix, then up to 63 letters, digits, \'-\', \'_\' or \'.\')' });
            else if (!isLabelValue(v)) ctx.addIssue({ code: "custom", path: [k], message: "is not a Kubernetes label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit" });
        }
    });

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const K8S_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)(\.(0|[1-9]\d*))?$/;
const VM_SIZE = /^Standard_[A-Za-z0-9_]+$/;
/** An image reference: registry/path, then a tag and/or a digest. */
const IMAGE = /^[a-z0-9]+([._/-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

export function formatIpv4(n: bigint): string {
    return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join(".");
}

/** `ip:port`, the form cert-manager's `--dns01-recursive-nameservers` takes. */
const nameserver = pattern((s) => {
    const m = /^([\d.]+):(\d{1,5})$/.exec(s);
    return m !== null && parseIp(m[1])?.family === 4 && Number(m[2]) >= 1 && Number(m[2]) <= 65535;
}, 'must be an IPv4 address and port, like "1.1.1.1:53"');

/**
 * A weekly maintenance window. AKS's planned maintenance (MaintenanceConfiguration
 * `aksManagedAutoUpgradeSchedule` / `aksManagedNodeOSUpgradeSchedule`) takes a weekly schedule, a
 * start time `HH:mm`, a UTC offset `+HH:mm` and a duration of at least 4 hours
 * (learn.microsoft.com/azure/aks/planned-maintenance, "Schedule configuration types").
 */
const maintenanceWindow = z.strictObject({
    day: z.enum(WEEKDAYS, { error: `must be a day of the week: ${WEEKDAYS.join(", ")}` }),
    start: pattern((s) => /^([01]\d|2[0-3]):[0-5]\d$/.test(s), 'must be a time "HH:mm" like "02:00"'),
    durationHours: intRange(4, 24).default(4),
    utcOffset: pattern((s) => /^[+-]((0\d|1[0-3]):[0-5]\d|14:00)$/.test(s), 'must be a UTC offset like "+00:00" or "-05:00"').default("+00:00"),
}, { error: 'must be a window like { day: Sunday, start: "02:00", durationHours: 4, utcOffset: "+00:00" }' });
export type MaintenanceWindow = z.output<typeof maintenanceWindow>;

const appEgress = z.strictObject({
    cidr: ipv4Cidr.refine((s) => !s.endsWith("/0"), { error: "must not be 0.0.0.0/0: name the destination's range" }),
    port: intRange(1, 65535),
    protocol: z.enum(["TCP", "UDP"], { error: "must be TCP or UDP" }).default("TCP"),
}, { error: "must be an egress entry { cidr, port, protocol }" });

const app = z.strictObject({
    name: dnsLabel("the app's namespace"),
    image: pattern((s) => IMAGE.test(s), 'must be an image reference like "registry.example.com/team/app:1.2.3"')
        .refine((s) => /[:@]/.test(s.split("/").pop() ?? "") && !s.endsWith(":latest"), { error: "must pin a tag or digest other than latest" }),
    port: intRange(1024, 65535, "apps run as non-root and cannot bind ports below 1024"),
    host: z.string({ error: 'must be a host name, like "shop" (one label below the zone) or "shop.example.org"' }).optional(),
    replicas: intRange(1, 100).default(2),
    egress: z.array(appEgress, { error: "must be a list of { cidr, port, protocol }" }).default([]),
}, { error: "must be an app { name, image, port, host, replicas, egress }" });
export type AppInput = z.output<typeof app>;

/** kube-prometheus-stack's default rule and ServiceMonitor selector: `release: <its release name>` (its chart's values.yaml, ruleSelector). */
export const DEFAULT_PROMETHEUS_SELECTOR: Readonly<Record<string, string>> = { release: "kube-prometheus-stack" };

// ---------------------------------------------------------------------------------------------
// The keys, in the order docs/configuration.md lists them.

export const KEYS = {
    location: key({
        namespace: "azure-native",
        schema: pattern((s) => /^[a-z0-9]+$/.test(s), 'must be an Azure region name like "westeurope"'),
        description: "Azure region of every resource (the azure-native provider's own key).",
        required: { hint: "set the Azure region with `pulumi config set azure-native:location westeurope`" },
        example: "westeurope",
    }),
    environment: key({
        schema: z.enum(ENVIRONMENTS, { error: "must be one of dev, staging, prod" }),
        description: "Stack environment; it decides the defaults and the rules prod must meet.",
        required: { hint: "set it to dev, staging or prod" },
        example: "dev",
    }),
    namePrefix: key({
        schema: pattern((s) => /^[a-z][a-z0-9]{1,11}$/.test(s), "must be 2-12 lowercase letters and digits starting with a letter (it goes into storage-safe Azure names)"),
        description: "Prefix of Azure resource names: `<prefix>-<environment>-...`.",
        default: "platform",
        example: "platform",
    }),
    protectResources: key({
        schema: z.boolean({ error: "must be true or false" }),
        description: "Protect the cluster, DNS zone and ingress IP from deletion (`pulumi destroy` refuses until unprotected).",
        default: byEnvironment({ dev: false, staging: false, prod: true }),
        example: true,
    }),
    kubernetesVersion: key({
        schema: pattern((s) => K8S_VERSION.test(s), 'must be major.minor or major.minor.patch, like "1.35" or "1.35.2"'),
        description: "Kubernetes version when the cluster is created; afterwards the upgrade channel moves it (later changes are ignored). Unset: AKS's default.",
        example: "1.35",
    }),
    systemPoolVmSize: key({
        schema: pattern((s) => VM_SIZE.test(s), 'must be an Azure VM size like "Standard_D4ds_v5"'),
        description: "VM size of the system node pool.",
        default: "Standard_D4ds_v5",
        example: "Standard_D4ds_v5",
    }),
    systemPoolMinCount: key({
        schema: intRange(1, 100),
        description: "Autoscaler minimum of the system pool (at least 2 in prod).",
        default: byEnvironment({ dev: 1, staging: 1, prod: 3 }),
        example: 3,
    }),
    systemPoolMaxCount: key({
        schema: intRange(1, 100),
        description: "Autoscaler maximum of the system pool.",
        default: byEnvironment({ dev: 3, staging: 3, prod: 5 }),
        example: 5,
    }),
    userPoolVmSize: key({
        schema: pattern((s) => VM_SIZE.test(s), 'must be an Azure VM size like "Standard_D4ds_v5"'),
        description: "VM size of the user node pool.",
        default: "Standard_D4ds_v5",
        example: "Standard_D8ds_v5",
    }),
    userPoolMinCount: key({
        schema: intRange(0, 1000),
        description: "Autoscaler minimum of the user pool.",
        default: byEnvironment({ dev: 1, staging: 1, prod: 3 }),
        example: 3,
    }),
    userPoolMaxCount: key({
        schema: intRange(1, 1000),
        description: "Autoscaler maximum of the user pool.",
        default: byEnvironment({ dev: 5, staging: 5, prod: 10 }),
        example: 10,
    }),
    availabilityZones: key({
        schema: z.array(z.enum(["1", "2", "3"], { error: 'must be "1", "2" or "3"' }), { error: 'must be a list of zones like ["1", "2", "3"]' })
            .refine((zs) => new Set(zs).size === zs.length, { error: "must not repeat a zone" }),
        description: "Availability zones of both pools and the ingress IP; [] for a region without zones (prod needs 2+).",
        default: ["1", "2", "3"],
        example: ["1", "2", "3"],
    }),
    apiServerAuthorizedIpRanges: key({
        schema: z.array(ipv4Cidr, { error: 'must be a list of CIDRs like ["203.0.113.0/24"]' }),
        description: "CIDRs allowed to reach the API server's public endpoint (prod needs at least one, and not 0.0.0.0/0).",
        default: [],
        example: ["203.0.113.0/24"],
    }),
    clusterAdminGroupObjectIds: key({
        schema: z.array(pattern((s) => GUID.test(s), "must be an Entra ID object id (a GUID)"), { error: "must be a list of Entra ID group object ids" }),
        description: "Entra ID groups given \"Azure Kubernetes Service RBAC Cluster Admin\" and \"Cluster User\" on the cluster.",
        default: [],
        example: ["3f2504e0-4f89-41d3-9a0c-0305e82c3301"],
    }),
    upgradeChannel: key({
        schema: z.enum(["patch", "stable", "rapid", "none"], {
            error: (issue) => issue.input === "node-image"
                ? "must not be node-image: that legacy cluster channel never upgrades Kubernetes and blocks node-OS channel changes; use stable and set nodeOsUpgradeChannel: NodeImage"
                : "must be one of patch, stable, rapid, none",
        }),
        description: "AKS auto-upgrade channel of the Kubernetes version (prod: not none).",
        default: "stable",
        example: "stable",
    }),
    nodeOsUpgradeChannel: key({
        schema: z.enum(["NodeImage", "SecurityPatch", "Unmanaged", "None"], { error: "must be one of NodeImage, SecurityPatch, Unmanaged, None" }),
        description: "Node OS upgrade channel (prod: NodeImage or SecurityPatch).",
        default: "NodeImage",
        example: "NodeImage",
    }),
    clusterUpgradeWindow: key({
        schema: maintenanceWindow,
        description: "Weekly window for Kubernetes version upgrades (AKS maintenance configuration aksManagedAutoUpgradeSchedule).",
        default: { day: "Sunday", start: "02:00", durationHours: 4, utcOffset: "+00:00" },
        example: { day: "Sunday", start: "02:00", durationHours: 4, utcOffset: "+00:00" },
    }),
    nodeOsUpgradeWindow: key({
        schema: maintenanceWindow,
        description: "Weekly window for node OS image and security patch upgrades (aksManagedNodeOSUpgradeSchedule).",
        default: { day: "Saturday", start: "02:00", durationHours: 4, utcOffset: "+00:00" },
        example: { day: "Saturday", start: "02:00", durationHours: 4, utcOffset: "+00:00" },
    }),
    vnetAddressSpace: key({ schema: ipv4Cidr, description: "VNet address space.", default: "10.10.0.0/16", example: "10.10.0.0/16" }),
    nodeSubnetCidr: key({ schema: ipv4Cidr, description: "Node subnet, inside the VNet.", default: "10.10.0.0/22", example: "10.10.0.0/22" }),
    apiServerSubnetCidr: key({ schema: ipv4Cidr, description: "Subnet delegated to the AKS API server (/28 or larger), inside the VNet.", default: "10.10.4.0/28", example: "10.10.4.0/28" }),
    podCidr: key({ schema: ipv4Cidr, description: "Overlay pod CIDR, outside the VNet.", default: "192.168.0.0/16", example: "192.168.0.0/16" }),
    serviceCidr: key({ schema: ipv4Cidr, description: "Kubernetes Service CIDR, outside the VNet and the pod CIDR.", default: "10.0.0.0/16", example: "10.0.0.0/16" }),
    dnsServiceIp: key({ schema: ipv4Address, description: "Cluster DNS Service address, inside the Service CIDR.", default: "10.0.0.10", example: "10.0.0.10" }),
    dnsZoneName: key({
        schema: fqdn,
        description: "Public DNS zone the platform creates and serves; apps are one label below it.",
        required: { hint: 'set the public zone, e.g. "dev.example.com"' },
        example: "dev.example.com",
    }),
    dnsParentZoneName: key({
        schema: fqdn,
        description: "Existing Azure DNS zone to write the NS delegation into (it must exist before this stack's first `up`; see docs/first-deploy.md).",
        example: "example.com",
    }),
    dnsParentZoneResourceGroup: key({
        schema: pattern((s) => /^[-\w._()]{1,90}$/.test(s) && !s.endsWith("."), "must be an Azure resource group name"),
        description: "Resource group of dnsParentZoneName (set both or neither).",
        example: "platform-prod-rg",
    }),
    dnsRecordTtl: key({ schema: intRange(60, 86400), description: "TTL of the platform's DNS records, in seconds.", default: 300, example: 300 }),
    acmeEmail: key({
        schema: EMAIL,
        description: "Let's Encrypt account e-mail (expiry notices).",
        required: { hint: "Let's Encrypt sends expiry notices there" },
        example: "platform-team@example.com",
    }),
    caaIodefEmail: key({ schema: EMAIL, description: "Where CAs report CAA policy violations (CAA iodef).", default: sameAs("acmeEmail"), example: "security@example.com" }),
    issuer: key({
        schema: z.enum(["letsencrypt-staging", "letsencrypt-production"], { error: "must be letsencrypt-staging or letsencrypt-production" }),
        description: "ClusterIssuer of platform certificates (prod: letsencrypt-production).",
        default: byEnvironment({ dev: "letsencrypt-staging", staging: "letsencrypt-staging", prod: "letsencrypt-production" }),
        example: "letsencrypt-staging",
    }),
    recursiveNameservers: key({
        schema: z.array(nameserver, { error: 'must be a list like ["1.1.1.1:53"]' }).min(1, { error: "must list at least one resolver" }),
        description: "Resolvers (ip:port) cert-manager asks for DNS-01 propagation checks, and only these.",
        default: ["1.1.1.1:53", "8.8.8.8:53"],
        example: ["1.1.1.1:53", "8.8.8.8:53"],
    }),
    dns01CnameZones: key({
        schema: z.array(fqdn, { error: 'must be a list of domains like ["example.org"]' }),
        description: "Domains outside dnsZoneName whose `_acme-challenge` names are CNAMEs into it: apps there get their own certificate by DNS-01 (cnameStrategy Follow).",
        default: [],
        example: ["example.org"],
    }),
    certManagerReplicas: key({
        schema: intRange(1, 10),
        description: "Replicas of cert-manager's controller, webhook and cainjector (prod: 2+).",
        default: byEnvironment({ dev: 1, staging: 1, prod: 2 }),
        example: 2,
    }),
    ingressReplicas: key({
        schema: intRange(1, 50),
        description: "Replicas of the ingress controller (prod: 2+).",
        default: byEnvironment({ dev: 1, staging: 1, prod: 2 }),
        example: 2,
    }),
    monitoringMode: key({
        schema: z.enum(["azure", "prometheus-operator", "none"], { error: "must be azure, prometheus-operator or none" }),
        description: "Where certificate and ingress alerts are evaluated: Azure Monitor managed Prometheus, your own prometheus-operator, or nowhere.",
        default: byEnvironment({ dev: "none", staging: "azure", prod: "azure" }),
        example: "azure",
    }),
    alertEmail: key({ schema: EMAIL, description: "Who the alerts mail (azure mode's action group).", default: sameAs("acmeEmail"), example: "oncall@example.com" }),
    alertWebhookUrl: key({
        schema: pattern((s) => { try { return new URL(s).protocol === "https:"; } catch { return false; } }, 'must be an https URL like "https://hooks.example.com/alerts"'),
        description: "Optional HTTPS webhook the alerts also call (azure mode).",
        example: "https://hooks.example.com/alerts",
    }),
    prometheusSelectorLabels: key({
        schema: labelMap,
        description: "Labels on ServiceMonitors and PrometheusRules so your Prometheus selects them (prometheus-operator mode; kube-prometheus-stack selects release: <its release name>).",
        default: DEFAULT_PROMETHEUS_SELECTOR,
        example: { release: "kube-prometheus-stack" },
    }),
    monitoringNamespace: key({
        schema: dnsLabel("the namespace of the Prometheus that scrapes"),
        description: "Namespace of your Prometheus pods, allowed to scrape metrics (prometheus-operator mode).",
        default: "monitoring",
        example: "monitoring",
    }),
    monitoringPodLabels: key({
        schema: labelMap,
        description: "Labels of your Prometheus pods allowed to scrape (prometheus-operator mode).",
        default: { "app.kubernetes.io/name": "prometheus" },
        example: { "app.kubernetes.io/name": "prometheus" },
    }),
    istioCsrEnabled: key({ schema: z.boolean({ error: "must be true or false" }), description: "Install cert-manager istio-csr (needs Istio) so mesh certificates come from the platform's internal CA.", default: false, example: true }),
    istioMeshNamespaces: key({
        schema: z.array(dnsLabel("a namespace"), { error: 'must be a list of namespaces like ["istio-system"]' }),
        description: "Namespaces whose pods (istiod, sidecars) call istio-csr's gRPC port.",
        default: ["istio-system"],
        example: ["istio-system"],
    }),
    webhookAllowAnySource: key({ schema: z.boolean({ error: "must be true or false" }), description: "Open admission webhook ports to any source (escape hatch; see docs/troubleshooting.md).", default: false, example: false }),
    demoApp: key({
        schema: z.boolean({ error: "must be true or false" }),
        description: "Deploy the demo application (namespace demo, host app.<zone>).",
        default: byEnvironment({ dev: true, staging: false, prod: false }),
        example: true,
    }),
    apps: key({
        schema: z.array(app, { error: "must be a list of apps { name, image, port, host, replicas, egress }" }),
        description: "Applications, each in its own default-deny namespace with a Deployment, Service and TLS Ingress.",
        default: [],
        example: [{ name: "storefront", image: "registry.example.com/shop/storefront:2.4.1", port: 8080, host: "shop", replicas: 3, egress: [{ cidr: "10.30.32.0/24", port: 5432, protocol: "TCP" }] }],
    }),
} as const;

export type KeyName = keyof typeof KEYS;
export type Values = { -readonly [K in KeyName]: z.output<(typeof KEYS)[K]["schema"]> };

/** `aks-platform:<key>`, or the provider's namespace for provider keys. */
export function fullKey(name: KeyName): string {
    const def: KeyDef = KEYS[name];
    return `${def.namespace ?? PROJECT}:${name}`;
}
