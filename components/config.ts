/**
 * Stack configuration: read every key once, validate all of it, and hand out one frozen,
 * typed `PlatformConfig`, or fail with one error that lists every problem (key, value, fix).
 * Nothing is created before this succeeds, so bad input never half-applies.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    certManager,
    istioCsr as istioCsrFacts,
    ISSUER_NAMES,
    IssuerName,
    letsEncrypt,
    nginxIngress,
    SYSTEM_NAMESPACES,
} from "./facts";
import { cidrContains, cidrContainsAddress, cidrsOverlap, cidrSize, Ipv4Cidr, parseIpv4, parseIpv4Cidr } from "./net";

/** The Pulumi project name: config keys live in this namespace (`aks-platform:<key>`). */
export const PROJECT = "aks-platform";

export type Environment = "dev" | "staging" | "prod";
export const ENVIRONMENTS: readonly Environment[] = ["dev", "staging", "prod"];

export const UPGRADE_CHANNELS = ["patch", "stable", "rapid", "node-image", "none"] as const;
export type UpgradeChannel = (typeof UPGRADE_CHANNELS)[number];
export const NODE_OS_UPGRADE_CHANNELS = ["NodeImage", "SecurityPatch", "Unmanaged", "None"] as const;
export type NodeOsUpgradeChannel = (typeof NODE_OS_UPGRADE_CHANNELS)[number];

export interface NodePoolConfig {
    readonly vmSize: string;
    readonly minCount: number;
    readonly maxCount: number;
}

export interface AppEgressConfig {
    /** Destination CIDR (outside the cluster: a database, a partner API). */
    readonly cidr: string;
    readonly port: number;
    readonly protocol: "TCP" | "UDP";
}

export interface AppConfig {
    /** Also the namespace name. */
    readonly name: string;
    readonly image: string;
    /** Container port the app listens on (the Service exposes 80 → this port). */
    readonly port: number;
    /** Fully qualified host name, one label below the zone (the wildcard certificate covers it). */
    readonly host: string;
    readonly replicas: number;
    readonly egress: readonly AppEgressConfig[];
}

export interface NetworkConfig {
    readonly vnetAddressSpace: string;
    readonly nodeSubnetCidr: string;
    /** Subnet delegated to AKS for API server VNet integration. */
    readonly apiServerSubnetCidr: string;
    readonly podCidr: string;
    readonly serviceCidr: string;
    readonly dnsServiceIp: string;
}

export interface PlatformConfig {
    readonly environment: Environment;
    readonly namePrefix: string;
    readonly location: string;
    readonly protectResources: boolean;
    readonly cluster: {
        readonly kubernetesVersion?: string;
        readonly systemPool: NodePoolConfig;
        readonly userPool: NodePoolConfig;
        readonly availabilityZones: readonly string[];
        readonly apiServerAuthorizedIpRanges: readonly string[];
        readonly adminGroupObjectIds: readonly string[];
        readonly upgradeChannel: UpgradeChannel;
        readonly nodeOsUpgradeChannel: NodeOsUpgradeChannel;
    };
    readonly network: NetworkConfig;
    readonly dns: {
        readonly zoneName: string;
        readonly parentZone?: { readonly name: string; readonly resourceGroupName: string };
        readonly recordTtl: number;
        readonly caaIodefEmail: string;
    };
    readonly acme: {
        readonly email: string;
        readonly issuer: IssuerName;
        /** `ip:port` list; cert-manager checks DNS-01 propagation through these only. */
        readonly recursiveNameservers: readonly string[];
        readonly http01Enabled: boolean;
    };
    readonly certManager: { readonly replicas: number };
    readonly ingress: { readonly replicas: number };
    readonly monitoring: {
        readonly enabled: boolean;
        readonly namespace: string;
        readonly podLabels: Readonly<Record<string, string>>;
    };
    /** istio-csr: Istio's workload certificates from the platform's internal CA. */
    readonly istioCsr: { readonly enabled: boolean; readonly meshNamespaces: readonly string[] };
    /** Opens admission webhook ports to any source, for clusters where none of the API server paths match. */
    readonly webhookAllowAnySource: boolean;
    readonly apps: readonly AppConfig[];
}

/** One config key: its type and description for Pulumi.yaml, and its default (documented there too). */
export interface ConfigKeySpec {
    /**
     * Pulumi.yaml declares string, integer, boolean and array-of-string keys; "structured" keys
     * (objects, lists of objects) cannot be declared there and are documented in the README instead.
     */
    readonly type: "string" | "integer" | "boolean" | "array" | "structured";
    readonly description: string;
    readonly required?: boolean;
    /** The default when it does not depend on the environment (declared in Pulumi.yaml too). */
    readonly default?: string | number | boolean | readonly string[];
    /** Human-readable default, for the README, when it depends on the environment. */
    readonly defaultText?: string;
}

/** Every key the program reads. Pulumi.yaml declares the same set (a test checks it). */
export const CONFIG_KEYS = {
    environment: { type: "string", required: true, description: "Stack environment: dev, staging or prod." },
    namePrefix: { type: "string", description: "Prefix of Azure resource names (lowercase letters and digits).", default: "platform" },
    protectResources: { type: "boolean", description: "Protect the cluster and DNS zone from deletion.", defaultText: "true in prod, else false" },
    kubernetesVersion: { type: "string", description: "AKS Kubernetes version, major.minor or major.minor.patch; empty for the region default." },
    systemPoolVmSize: { type: "string", description: "VM size of the system node pool.", default: "Standard_D4ds_v5" },
    systemPoolMinCount: { type: "integer", description: "Autoscaler minimum of the system pool (1-100).", defaultText: "1 (3 in prod)" },
    systemPoolMaxCount: { type: "integer", description: "Autoscaler maximum of the system pool (1-100).", defaultText: "3 (5 in prod)" },
    userPoolVmSize: { type: "string", description: "VM size of the user node pool.", default: "Standard_D4ds_v5" },
    userPoolMinCount: { type: "integer", description: "Autoscaler minimum of the user pool (0-1000).", defaultText: "1 (3 in prod)" },
    userPoolMaxCount: { type: "integer", description: "Autoscaler maximum of the user pool (1-1000).", defaultText: "5 (10 in prod)" },
    availabilityZones: { type: "array", description: "Availability zones for both pools; [] for a region without zones.", default: ["1", "2", "3"] },
    apiServerAuthorizedIpRanges: { type: "array", description: "CIDRs allowed to reach the API server's public endpoint (required in prod).", default: [] },
    clusterAdminGroupObjectIds: { type: "array", description: "Entra ID group object ids granted cluster admin.", default: [] },
    upgradeChannel: { type: "string", description: "AKS auto-upgrade channel: patch, stable, rapid, node-image or none.", default: "stable" },
    nodeOsUpgradeChannel: { type: "string", description: "Node OS upgrade channel: NodeImage, SecurityPatch, Unmanaged or None.", default: "NodeImage" },
    vnetAddressSpace: { type: "string", description: "VNet address space.", default: "10.10.0.0/16" },
    nodeSubnetCidr: { type: "string", description: "Node subnet, inside the VNet.", default: "10.10.0.0/22" },
    apiServerSubnetCidr: { type: "string", description: "Subnet delegated to the AKS API server (/28 or larger), inside the VNet.", default: "10.10.4.0/28" },
    podCidr: { type: "string", description: "Overlay pod CIDR, outside the VNet.", default: "192.168.0.0/16" },
    serviceCidr: { type: "string", description: "Kubernetes Service CIDR, outside the VNet and pod CIDR.", default: "10.0.0.0/16" },
    dnsServiceIp: { type: "string", description: "Cluster DNS Service address, inside the Service CIDR.", default: "10.0.0.10" },
    dnsZoneName: { type: "string", required: true, description: "Public DNS zone the platform serves, e.g. dev.example.com." },
    dnsParentZoneName: { type: "string", description: "Parent Azure DNS zone to write the NS delegation into (optional)." },
    dnsParentZoneResourceGroup: { type: "string", description: "Resource group of the parent zone (with dnsParentZoneName)." },
    dnsRecordTtl: { type: "integer", description: "TTL of the platform's DNS records in seconds (60-86400).", default: 300 },
    caaIodefEmail: { type: "string", description: "Where CAs report policy violations (CAA iodef).", defaultText: "acmeEmail" },
    acmeEmail: { type: "string", required: true, description: "Let's Encrypt account email." },
    issuer: { type: "string", description: "ClusterIssuer for platform certificates: letsencrypt-staging or letsencrypt-production.", defaultText: "letsencrypt-production in prod, else letsencrypt-staging" },
    recursiveNameservers: { type: "array", description: "ip:port resolvers for DNS-01 propagation checks.", default: ["1.1.1.1:53", "8.8.8.8:53"] },
    http01Enabled: { type: "boolean", description: "Add an HTTP-01 solver for names outside the zone.", default: false },
    certManagerReplicas: { type: "integer", description: "Replicas of cert-manager's controller, webhook and cainjector (>= 2 in prod).", defaultText: "1 (2 in prod)" },
    ingressReplicas: { type: "integer", description: "Replicas of the ingress controller (>= 2 in prod).", defaultText: "1 (2 in prod)" },
    monitoringEnabled: { type: "boolean", description: "Create ServiceMonitors and alert rules (needs prometheus-operator).", default: false },
    monitoringNamespace: { type: "string", description: "Namespace of the Prometheus that scrapes metrics.", default: "monitoring" },
    monitoringPodLabels: { type: "structured", description: "Labels of the Prometheus pods allowed to scrape.", defaultText: '{"app.kubernetes.io/name":"prometheus"}' },
    istioCsrEnabled: { type: "boolean", description: "Install cert-manager istio-csr (needs Istio) so mesh certificates come from the platform's internal CA.", default: false },
    istioMeshNamespaces: { type: "array", description: "Namespaces whose pods (istiod, sidecars) call istio-csr's gRPC port.", default: ["istio-system"] },
    webhookAllowAnySource: { type: "boolean", description: "Open admission webhook ports to any source (escape hatch, see README).", default: false },
    demoApp: { type: "boolean", description: "Deploy the demo application (namespace demo, host app.<zone>).", defaultText: "true in dev, else false" },
    apps: { type: "structured", description: "Applications: [{name, image, port, host, replicas, egress: [{cidr, port, protocol}]}].", defaultText: "[] (plus the demo app when demoApp is true)" },
} as const satisfies Readonly<Record<string, ConfigKeySpec>>;

type StaticDefaultKey = { [K in keyof typeof CONFIG_KEYS]: (typeof CONFIG_KEYS)[K] extends { default: unknown } ? K : never }[keyof typeof CONFIG_KEYS];
type DefaultOf<K extends StaticDefaultKey> = (typeof CONFIG_KEYS)[K] extends { default: infer D } ? (D extends readonly string[] ? readonly string[] : D extends string ? string : D extends number ? number : boolean) : never;

/** The one place static defaults live: the key table (Pulumi.yaml declares the same values). */
function staticDefault<K extends StaticDefaultKey>(key: K): DefaultOf<K> {
    return CONFIG_KEYS[key].default as DefaultOf<K>;
}

/** A key's raw value, as Pulumi config holds it (already JSON-decoded for structured keys). */
export type RawConfig = Readonly<Record<string, unknown>>;

export interface ConfigProblem {
    readonly key: string;
    readonly value: unknown;
    readonly message: string;
}

export class ConfigError extends Error {
    constructor(readonly problems: readonly ConfigProblem[]) {
        super(
            `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${PROJECT}:${p.key} = ${show(p.value)}: ${p.message}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

function show(value: unknown): string {
    if (value === undefined) return "(not set)";
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const FQDN_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const K8S_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)(\.(0|[1-9]\d*))?$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VM_SIZE = /^Standard_[A-Za-z0-9_]+$/;
const IMAGE = /^[a-z0-9]+([._/-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** True for a lowercase fully qualified domain name with at least two labels and no trailing dot. */
export function isFqdn(name: string): boolean {
    if (name.length > 253) return false;
    const labels = name.split(".");
    return labels.length >= 2 && labels.every((l) => FQDN_LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
}

/** Collects problems while reading keys, so one run reports all of them. */
class Reader {
    readonly problems: ConfigProblem[] = [];
    constructor(private readonly raw: RawConfig) {}

    problem(key: string, value: unknown, message: string): void {
        this.problems.push({ key, value, message });
    }

    has(key: string): boolean {
        return this.raw[key] !== undefined && this.raw[key] !== null && this.raw[key] !== "";
    }

    value(key: string): unknown {
        return this.raw[key];
    }

    string(key: string, fallback: string): string;
    string(key: string): string | undefined;
    string(key: string, fallback?: string): string | undefined {
        const v = this.raw[key];
        if (v === undefined || v === null || v === "") return fallback;
        if (typeof v !== "string") {
            this.problem(key, v, "must be a string");
            return fallback;
        }
        return v;
    }

    required(key: string, hint: string): string {
        const v = this.string(key);
        if (v === undefined) {
            this.problem(key, undefined, `is required: ${hint}`);
            return "";
        }
        return v;
    }

    int(key: string, fallback: number, min: number, max: number): number {
        const v = this.raw[key];
        if (v === undefined || v === null || v === "") return fallback;
        const n = typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
        if (typeof n !== "number" || !Number.isInteger(n)) {
            this.problem(key, v, `must be a whole number from ${min} to ${max}`);
            return fallback;
        }
        if (n < min || n > max) {
            this.problem(key, v, `must be from ${min} to ${max}`);
            return fallback;
        }
        return n;
    }

    bool(key: string, fallback: boolean): boolean {
        const v = this.raw[key];
        if (v === undefined || v === null || v === "") return fallback;
        if (v === true || v === "true") return true;
        if (v === false || v === "false") return false;
        this.problem(key, v, "must be true or false");
        return fallback;
    }

    oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
        const v = this.string(key);
        if (v === undefined) return fallback;
        if (!(allowed as readonly string[]).includes(v)) {
            this.problem(key, v, `must be one of ${allowed.join(", ")}`);
            return fallback;
        }
        return v as T;
    }

    /** An array value; config given as a JSON string is decoded. */
    array(key: string, fallback: readonly unknown[]): readonly unknown[] {
        const v = decodeJson(this.raw[key]);
        if (v === undefined || v === null || v === "") return fallback;
        if (!Array.isArray(v)) {
            this.problem(key, v, "must be a list (YAML sequence)");
            return fallback;
        }
        return v;
    }

    stringArray(key: string, fallback: readonly string[]): readonly string[] {
        const items = this.array(key, fallback);
        const bad = items.filter((i) => typeof i !== "string");
        if (bad.length > 0) {
            this.problem(key, items, "must be a list of strings");
            return fallback;
        }
        return items as string[];
    }

    record(key: string, fallback: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
        const v = decodeJson(this.raw[key]);
        if (v === undefined || v === null || v === "") return fallback;
        if (typeof v !== "object" || Array.isArray(v) || !Object.values(v).every((x) => typeof x === "string")) {
            this.problem(key, v, "must be a map of string to string");
            return fallback;
        }
        return v as Record<string, string>;
    }
}

function decodeJson(v: unknown): unknown {
    if (typeof v === "string" && /^\s*[[{]/.test(v)) {
        try {
            return JSON.parse(v) as unknown;
        } catch {
            return v;
        }
    }
    return v;
}

function cidr(r: Reader, key: string, text: string): Ipv4Cidr | undefined {
    const c = parseIpv4Cidr(text);
    if (!c) r.problem(key, text, 'must be an IPv4 CIDR with host bits zero, like "10.10.0.0/16"');
    return c;
}

function readPool(r: Reader, prefix: "systemPool" | "userPool", prod: boolean): NodePoolConfig {
    const system = prefix === "systemPool";
    const vmSizeKey = `${prefix}VmSize` as const;
    const vmSize = r.string(vmSizeKey, staticDefault(vmSizeKey));
    if (r.value(vmSizeKey) === "" || (r.has(vmSizeKey) && !VM_SIZE.test(vmSize))) {
        r.problem(vmSizeKey, r.value(vmSizeKey), 'must be an Azure VM size like "Standard_D4ds_v5"');
    }
    const minFloor = system ? 1 : 0;
    const maxCeil = system ? 100 : 1000;
    const minCount = r.int(`${prefix}MinCount`, prod ? 3 : 1, minFloor, maxCeil);
    const maxCount = r.int(`${prefix}MaxCount`, prod ? (system ? 5 : 10) : system ? 3 : 5, 1, maxCeil);
    if (minCount > maxCount) {
        r.problem(`${prefix}MinCount`, minCount, `must not exceed ${prefix}MaxCount (${maxCount})`);
    }
    if (prod && system && minCount < 2) {
        r.problem(`${prefix}MinCount`, minCount, "must be at least 2 in prod so system pods survive a node loss");
    }
    return { vmSize, minCount, maxCount };
}

function readNetwork(r: Reader): NetworkConfig {
    const n: NetworkConfig = {
        vnetAddressSpace: r.string("vnetAddressSpace", staticDefault("vnetAddressSpace")),
        nodeSubnetCidr: r.string("nodeSubnetCidr", staticDefault("nodeSubnetCidr")),
        apiServerSubnetCidr: r.string("apiServerSubnetCidr", staticDefault("apiServerSubnetCidr")),
        podCidr: r.string("podCidr", staticDefault("podCidr")),
        serviceCidr: r.string("serviceCidr", staticDefault("serviceCidr")),
        dnsServiceIp: r.string("dnsServiceIp", staticDefault("dnsServiceIp")),
    };
    const vnet = cidr(r, "vnetAddressSpace", n.vnetAddressSpace);
    const nodes = cidr(r, "nodeSubnetCidr", n.nodeSubnetCidr);
    const api = cidr(r, "apiServerSubnetCidr", n.apiServerSubnetCidr);
    const pods = cidr(r, "podCidr", n.podCidr);
    const services = cidr(r, "serviceCidr", n.serviceCidr);
    if (vnet && nodes && !cidrContains(vnet, nodes)) r.problem("nodeSubnetCidr", n.nodeSubnetCidr, `must lie inside vnetAddressSpace (${n.vnetAddressSpace})`);
    if (vnet && api && !cidrContains(vnet, api)) r.problem("apiServerSubnetCidr", n.apiServerSubnetCidr, `must lie inside vnetAddressSpace (${n.vnetAddressSpace})`);
    if (api && cidrSize(api) < 16) r.problem("apiServerSubnetCidr", n.apiServerSubnetCidr, "must be /28 or larger (AKS API server VNet integration)");
    if (nodes && api && cidrsOverlap(nodes, api)) r.problem("apiServerSubnetCidr", n.apiServerSubnetCidr, `must not overlap nodeSubnetCidr (${n.nodeSubnetCidr})`);
    if (vnet && pods && cidrsOverlap(vnet, pods)) r.problem("podCidr", n.podCidr, `must not overlap vnetAddressSpace (${n.vnetAddressSpace})`);
    if (vnet && services && cidrsOverlap(vnet, services)) r.problem("serviceCidr", n.serviceCidr, `must not overlap vnetAddressSpace (${n.vnetAddressSpace})`);
    if (pods && services && cidrsOverlap(pods, services)) r.problem("serviceCidr", n.serviceCidr, `must not overlap podCidr (${n.podCidr})`);
    const dnsIp = parseIpv4(n.dnsServiceIp);
    if (dnsIp === undefined) r.problem("dnsServiceIp", n.dnsServiceIp, 'must be an IPv4 address like "10.0.0.10"');
    else if (services && !cidrContainsAddress(services, dnsIp)) r.problem("dnsServiceIp", n.dnsServiceIp, `must lie inside serviceCidr (${n.serviceCidr})`);
    return n;
}

function readApps(r: Reader, zoneName: string, demoApp: boolean): AppConfig[] {
    const items = r.array("apps", []);
    const apps: AppConfig[] = [];
    const reserved = new Set<string>([...SYSTEM_NAMESPACES, certManager.namespace, nginxIngress.namespace, istioCsrFacts.namespace]);
    items.forEach((item, i) => {
        const key = `apps[${i}]`;
        if (typeof item !== "object" || item === null || Array.isArray(item)) {
            r.problem(key, item, "must be an object {name, image, port, host, replicas}");
            return;
        }
        const a = item as Record<string, unknown>;
        const name = typeof a.name === "string" ? a.name : "";
        if (!DNS_LABEL.test(name)) r.problem(`${key}.name`, a.name, "must be a DNS-1123 label (lowercase letters, digits, '-', at most 63) because it names the app's namespace");
        else if (reserved.has(name)) r.problem(`${key}.name`, a.name, `collides with a system or platform namespace (${[...reserved].join(", ")}); pick another name`);
        const image = typeof a.image === "string" ? a.image : "";
        if (!IMAGE.test(image)) r.problem(`${key}.image`, a.image, 'must be an image reference like "registry.example.com/team/app:1.2.3"');
        else if (!/[:@]/.test(image.split("/").pop() ?? "") || image.endsWith(":latest")) r.problem(`${key}.image`, a.image, "must pin a tag or digest other than latest");
        const port = a.port;
        if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) r.problem(`${key}.port`, port, "must be a port number from 1 to 65535");
        else if (port < 1024) r.problem(`${key}.port`, port, "must be 1024 or above: apps run as non-root and cannot bind privileged ports");
        const replicas = a.replicas === undefined ? 2 : a.replicas;
        if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 1 || replicas > 100) r.problem(`${key}.replicas`, a.replicas, "must be a whole number from 1 to 100");
        const hostRaw = typeof a.host === "string" ? a.host : undefined;
        const host = hostRaw === undefined ? `${name}.${zoneName}` : hostRaw.includes(".") ? hostRaw : `${hostRaw}.${zoneName}`;
        const label = host.endsWith(`.${zoneName}`) ? host.slice(0, -zoneName.length - 1) : undefined;
        if (a.host !== undefined && typeof a.host !== "string") r.problem(`${key}.host`, a.host, "must be a string");
        else if (label === undefined || !DNS_LABEL.test(label)) r.problem(`${key}.host`, a.host, `must be one label below the zone, like "${name || "app"}.${zoneName}": the wildcard certificate covers exactly that`);
        const egress: AppEgressConfig[] = [];
        const rawEgress = a.egress === undefined ? [] : a.egress;
        if (!Array.isArray(rawEgress)) r.problem(`${key}.egress`, a.egress, "must be a list of {cidr, port, protocol}");
        else
            rawEgress.forEach((e: unknown, j) => {
                const ek = `${key}.egress[${j}]`;
                const o = (typeof e === "object" && e !== null ? e : {}) as Record<string, unknown>;
                const c = typeof o.cidr === "string" ? parseIpv4Cidr(o.cidr) : undefined;
                if (!c) r.problem(`${ek}.cidr`, o.cidr, 'must be an IPv4 CIDR with host bits zero, like "10.20.0.0/24"');
                else if (c.prefix === 0) r.problem(`${ek}.cidr`, o.cidr, "must not be 0.0.0.0/0: name the destination's range");
                const ep = o.port;
                if (typeof ep !== "number" || !Number.isInteger(ep) || ep < 1 || ep > 65535) r.problem(`${ek}.port`, ep, "must be a port number from 1 to 65535");
                const protocol = o.protocol === undefined ? "TCP" : o.protocol;
                if (protocol !== "TCP" && protocol !== "UDP") r.problem(`${ek}.protocol`, o.protocol, "must be TCP or UDP");
                egress.push({ cidr: String(o.cidr), port: Number(ep), protocol: protocol === "UDP" ? "UDP" : "TCP" });
            });
        apps.push({ name, image, port: Number(port), host, replicas: Number(replicas), egress });
    });
    if (demoApp && !apps.some((a) => a.name === "demo")) {
        apps.push({
            name: "demo",
            // nginx-unprivileged runs as uid 101 on 8080: non-root with a read-only root filesystem.
            image: "nginxinc/nginx-unprivileged:1.29.3-alpine",
            port: 8080,
            host: `app.${zoneName}`,
            replicas: 2,
            egress: [],
        });
    }
    const seenNames = new Map<string, number>();
    const seenHosts = new Map<string, number>();
    apps.forEach((a, i) => {
        if (a.name && seenNames.has(a.name)) r.problem(`apps[${i}].name`, a.name, `duplicates apps[${seenNames.get(a.name)}]; app names must be unique`);
        seenNames.set(a.name, i);
        if (seenHosts.has(a.host)) r.problem(`apps[${i}].host`, a.host, `duplicates the host of another app; each app needs its own host`);
        seenHosts.set(a.host, i);
    });
    return apps;
}

/**
 * Pure: validates raw key values into a frozen PlatformConfig, or throws one ConfigError listing
 * every problem. `location` comes from `azure-native:location`.
 */
export function parseConfig(raw: RawConfig, location: string | undefined): PlatformConfig {
    const r = new Reader(raw);
    const known = new Set(Object.keys(CONFIG_KEYS));
    for (const key of Object.keys(raw)) {
        if (!known.has(key)) r.problem(key, raw[key], `is not a known key; known keys: ${[...known].join(", ")}`);
    }

    const envRaw = r.required("environment", "set it to dev, staging or prod");
    let environment: Environment = "dev";
    if (envRaw !== "" && !(ENVIRONMENTS as readonly string[]).includes(envRaw)) r.problem("environment", envRaw, "must be one of dev, staging, prod");
    else if (envRaw !== "") environment = envRaw as Environment;
    const prod = environment === "prod";

    if (!location) r.problem("azure-native:location", location, "is required: set the Azure region with `pulumi config set azure-native:location westeurope`");

    const namePrefix = r.string("namePrefix", staticDefault("namePrefix"));
    if (!/^[a-z][a-z0-9]{1,11}$/.test(namePrefix)) r.problem("namePrefix", namePrefix, "must be 2-12 lowercase letters and digits starting with a letter (it goes into storage-safe Azure names)");

    const kubernetesVersion = r.string("kubernetesVersion");
    if (kubernetesVersion !== undefined && !K8S_VERSION.test(kubernetesVersion)) {
        r.problem("kubernetesVersion", kubernetesVersion, 'must be major.minor or major.minor.patch, like "1.33" or "1.33.2"');
    }

    const systemPool = readPool(r, "systemPool", prod);
    const userPool = readPool(r, "userPool", prod);

    const availabilityZones = r.stringArray("availabilityZones", staticDefault("availabilityZones"));
    availabilityZones.forEach((z, i) => {
        if (!["1", "2", "3"].includes(z)) r.problem(`availabilityZones[${i}]`, z, 'must be "1", "2" or "3"');
    });
    if (new Set(availabilityZones).size !== availabilityZones.length) r.problem("availabilityZones", availabilityZones, "must not repeat a zone");
    if (prod && availabilityZones.length < 2) r.problem("availabilityZones", availabilityZones, "must name at least 2 zones in prod; choose a region with availability zones");

    const apiServerAuthorizedIpRanges = r.stringArray("apiServerAuthorizedIpRanges", staticDefault("apiServerAuthorizedIpRanges"));
    apiServerAuthorizedIpRanges.forEach((range, i) => {
        const c = cidr(r, `apiServerAuthorizedIpRanges[${i}]`, range);
        if (c && c.prefix === 0 && prod) r.problem(`apiServerAuthorizedIpRanges[${i}]`, range, "must not be 0.0.0.0/0 in prod: list your office, VPN and CI runner ranges");
    });
    if (prod && apiServerAuthorizedIpRanges.length === 0) r.problem("apiServerAuthorizedIpRanges", [], "must list at least one CIDR in prod so the API server is not open to the internet");

    const adminGroupObjectIds = r.stringArray("clusterAdminGroupObjectIds", staticDefault("clusterAdminGroupObjectIds"));
    adminGroupObjectIds.forEach((id, i) => {
        if (!GUID.test(id)) r.problem(`clusterAdminGroupObjectIds[${i}]`, id, "must be an Entra ID object id (a GUID)");
    });

    const upgradeChannel = r.oneOf("upgradeChannel", UPGRADE_CHANNELS, staticDefault("upgradeChannel") as UpgradeChannel);
    const nodeOsUpgradeChannel = r.oneOf("nodeOsUpgradeChannel", NODE_OS_UPGRADE_CHANNELS, staticDefault("nodeOsUpgradeChannel") as NodeOsUpgradeChannel);
    if (prod && upgradeChannel === "none") r.problem("upgradeChannel", upgradeChannel, "must not be none in prod: unpatched clusters fall out of support; use stable or patch");

    const network = readNetwork(r);

    const zoneName = r.required("dnsZoneName", 'set the public zone, e.g. "dev.example.com"');
    if (zoneName !== "" && !isFqdn(zoneName)) r.problem("dnsZoneName", zoneName, 'must be a lowercase fully qualified domain name without a trailing dot, like "dev.example.com"');

    const parentName = r.string("dnsParentZoneName");
    const parentRg = r.string("dnsParentZoneResourceGroup");
    let parentZone: PlatformConfig["dns"]["parentZone"];
    if ((parentName === undefined) !== (parentRg === undefined)) {
        const missing = parentName === undefined ? "dnsParentZoneName" : "dnsParentZoneResourceGroup";
        r.problem(missing, undefined, "must be set together with its pair (dnsParentZoneName and dnsParentZoneResourceGroup), or neither");
    } else if (parentName !== undefined && parentRg !== undefined) {
        if (!isFqdn(parentName)) r.problem("dnsParentZoneName", parentName, 'must be a fully qualified domain name like "example.com"');
        else if (isFqdn(zoneName) && !zoneName.endsWith(`.${parentName}`)) r.problem("dnsParentZoneName", parentName, `must be a parent of dnsZoneName (${zoneName})`);
        if (!/^[-\w._()]{1,90}$/.test(parentRg) || parentRg.endsWith(".")) r.problem("dnsParentZoneResourceGroup", parentRg, "must be an Azure resource group name");
        parentZone = { name: parentName, resourceGroupName: parentRg };
    }
    const recordTtl = r.int("dnsRecordTtl", staticDefault("dnsRecordTtl"), 60, 86400);

    const email = r.required("acmeEmail", "Let's Encrypt sends expiry notices there");
    if (email !== "" && !EMAIL.test(email)) r.problem("acmeEmail", email, 'must be an email address like "platform-team@example.com"');
    const caaIodefEmail = r.string("caaIodefEmail", email);
    if (r.has("caaIodefEmail") && !EMAIL.test(caaIodefEmail)) r.problem("caaIodefEmail", caaIodefEmail, "must be an email address");

    const issuer = r.oneOf<IssuerName>("issuer", ISSUER_NAMES, prod ? letsEncrypt.production.issuerName : letsEncrypt.staging.issuerName);
    if (prod && issuer === letsEncrypt.staging.issuerName) {
        r.problem("issuer", issuer, `must be ${letsEncrypt.production.issuerName} in prod: staging certificates are not trusted by browsers (prove issuance on the staging stack first)`);
    }

    const recursiveNameservers = r.stringArray("recursiveNameservers", staticDefault("recursiveNameservers"));
    recursiveNameservers.forEach((ns, i) => {
        const m = /^([\d.]+):(\d{1,5})$/.exec(ns);
        if (!m || parseIpv4(m[1]) === undefined || Number(m[2]) < 1 || Number(m[2]) > 65535) {
            r.problem(`recursiveNameservers[${i}]`, ns, 'must be an IPv4 address and port, like "1.1.1.1:53"');
        }
    });
    if (r.has("recursiveNameservers") && recursiveNameservers.length === 0) r.problem("recursiveNameservers", [], "must list at least one resolver");

    const http01Enabled = r.bool("http01Enabled", staticDefault("http01Enabled"));
    const certManagerReplicas = r.int("certManagerReplicas", prod ? 2 : 1, 1, 10);
    if (prod && certManagerReplicas < 2) r.problem("certManagerReplicas", certManagerReplicas, "must be at least 2 in prod (a PodDisruptionBudget needs a second replica)");
    const ingressReplicas = r.int("ingressReplicas", prod ? 2 : 1, 1, 50);
    if (prod && ingressReplicas < 2) r.problem("ingressReplicas", ingressReplicas, "must be at least 2 in prod so a node drain does not take the front door down");

    const monitoringEnabled = r.bool("monitoringEnabled", staticDefault("monitoringEnabled"));
    const monitoringNamespace = r.string("monitoringNamespace", staticDefault("monitoringNamespace"));
    if (!DNS_LABEL.test(monitoringNamespace)) r.problem("monitoringNamespace", monitoringNamespace, "must be a DNS-1123 label (a namespace name)");
    const monitoringPodLabels = r.record("monitoringPodLabels", { "app.kubernetes.io/name": "prometheus" });
    for (const [k, v] of Object.entries(monitoringPodLabels)) {
        if (!LABEL_KEY.test(k) || !LABEL_VALUE.test(v)) r.problem("monitoringPodLabels", monitoringPodLabels, `has an invalid label ${k}=${v}; keys and values must be Kubernetes label syntax`);
    }
    if (Object.keys(monitoringPodLabels).length === 0) r.problem("monitoringPodLabels", monitoringPodLabels, "must name at least one label, or every pod in the monitoring namespace could scrape");

    const protectResources = r.bool("protectResources", prod);
    if (prod && !protectResources) r.problem("protectResources", false, "must be true in prod: the cluster and zone must not be deletable by one `pulumi destroy`");

    const webhookAllowAnySource = r.bool("webhookAllowAnySource", staticDefault("webhookAllowAnySource"));
    const istioCsrEnabled = r.bool("istioCsrEnabled", staticDefault("istioCsrEnabled"));
    const meshNamespaces = r.stringArray("istioMeshNamespaces", staticDefault("istioMeshNamespaces"));
    meshNamespaces.forEach((ns, i) => {
        if (!DNS_LABEL.test(ns)) r.problem(`istioMeshNamespaces[${i}]`, ns, "must be a DNS-1123 label (a namespace name)");
    });
    if (istioCsrEnabled && meshNamespaces.length === 0) r.problem("istioMeshNamespaces", [], "must name at least one namespace when istioCsrEnabled is true (istiod's, usually istio-system)");
    const demoApp = r.bool("demoApp", environment === "dev");
    const apps = zoneName !== "" ? readApps(r, zoneName, demoApp) : [];
    apps.forEach((a, i) => {
        if (a.name === monitoringNamespace) r.problem(`apps[${i}].name`, a.name, "collides with monitoringNamespace; pick another name");
    });

    if (r.problems.length > 0) throw new ConfigError(r.problems);

    return deepFreeze<PlatformConfig>({
        environment,
        namePrefix,
        location: location ?? "",
        protectResources,
        cluster: {
            kubernetesVersion,
            systemPool,
            userPool,
            availabilityZones,
            apiServerAuthorizedIpRanges,
            adminGroupObjectIds,
            upgradeChannel,
            nodeOsUpgradeChannel,
        },
        network,
        dns: { zoneName, parentZone, recordTtl, caaIodefEmail },
        acme: { email, issuer, recursiveNameservers, http01Enabled },
        certManager: { replicas: certManagerReplicas },
        ingress: { replicas: ingressReplicas },
        monitoring: { enabled: monitoringEnabled, namespace: monitoringNamespace, podLabels: monitoringPodLabels },
        webhookAllowAnySource,
        istioCsr: { enabled: istioCsrEnabled, meshNamespaces },
        apps,
    });
}

function deepFreeze<T>(value: T): T {
    if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const v of Object.values(value)) deepFreeze(v);
    }
    return value;
}

/** Reads the stack's config through Pulumi and validates it. Call once, before any resource. */
export function loadConfig(): PlatformConfig {
    const cfg = new pulumi.Config(PROJECT);
    const raw: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
        const text = cfg.get(key);
        if (text === undefined) continue;
        raw[key] = spec.type === "array" || spec.type === "structured" ? decodeJson(text) : text;
    }
    // Keys the stack sets that the program does not know are reported too (typos would be silently ignored).
    for (const fullKey of Object.keys(pulumi.runtime.allConfig())) {
        const [ns, key] = fullKey.split(":");
        if (ns === PROJECT && key !== undefined && !(key in raw) && !(key in CONFIG_KEYS)) raw[key] = cfg.get(key);
    }
    return parseConfig(raw, new pulumi.Config("azure-native").get("location"));
}
