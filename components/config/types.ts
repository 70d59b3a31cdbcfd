/** The validated, typed configuration every component reads, built from the checked key values. */
import { certManager, istioCsr, IssuerName, nginxIngress, SYSTEM_NAMESPACES } from "../facts";
import { Environment, MaintenanceWindow, Values } from "./keys";

export type { Environment, MaintenanceWindow } from "./keys";
export type UpgradeChannel = Values["upgradeChannel"];
export type NodeOsUpgradeChannel = Values["nodeOsUpgradeChannel"];
export type MonitoringMode = Values["monitoringMode"];

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
    /** Fully qualified host name. */
    readonly host: string;
    /**
     * `wildcard`: one label below the zone, served by the controller's wildcard certificate (no
     * certificate per app). `dedicated`: a host in a dns01CnameZones domain, with its own certificate.
     */
    readonly certificate: "wildcard" | "dedicated";
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
        readonly upgradeWindows: { readonly cluster: MaintenanceWindow; readonly nodeOs: MaintenanceWindow };
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
        /** Domains whose `_acme-challenge` names are CNAMEs into the zone (DNS-01, cnameStrategy Follow). */
        readonly cnameZones: readonly string[];
    };
    readonly certManager: { readonly replicas: number };
    readonly ingress: { readonly replicas: number };
    readonly monitoring: {
        readonly mode: MonitoringMode;
        readonly alertEmail: string;
        readonly alertWebhookUrl?: string;
        /** Labels a prometheus-operator Prometheus selects ServiceMonitors and rules by. */
        readonly selectorLabels: Readonly<Record<string, string>>;
        /** Namespace and labels of the Prometheus pods allowed to scrape (prometheus-operator mode). */
        readonly namespace: string;
        readonly podLabels: Readonly<Record<string, string>>;
    };
    /** istio-csr: Istio's workload certificates from the platform's internal CA. */
    readonly istioCsr: { readonly enabled: boolean; readonly meshNamespaces: readonly string[] };
    /** Opens admission webhook ports to any source, for clusters where the API server's path matches nothing. */
    readonly webhookAllowAnySource: boolean;
    readonly apps: readonly AppConfig[];
}

/** The demo app: nginx-unprivileged runs as uid 101 on 8080, non-root with a read-only root filesystem. */
export const DEMO_APP = { name: "demo", image: "nginxinc/nginx-unprivileged:1.29.3-alpine", port: 8080, hostLabel: "app", replicas: 2 } as const;

/** Namespaces an app may not take: Kubernetes', AKS's and the platform's own. */
export function reservedNamespaces(monitoringNamespace: string): string[] {
    return [...SYSTEM_NAMESPACES, certManager.namespace, nginxIngress.namespace, istioCsr.namespace, monitoringNamespace];
}

export interface ResolvedHost {
    readonly host: string;
    readonly certificate: AppConfig["certificate"] | "outside";
}

/**
 * Where an app's host lives: one label below the zone (the wildcard covers it), inside a CNAME
 * zone (its own certificate through DNS-01 with cnameStrategy Follow), or neither (refused).
 * A host without a dot is a label below the zone; no host means `<name>.<zone>`.
 */
export function resolveHost(name: string, host: string | undefined, zone: string, cnameZones: readonly string[]): ResolvedHost {
    const fqdn = host === undefined ? `${name}.${zone}` : host.includes(".") ? host : `${host}.${zone}`;
    if (fqdn.endsWith(`.${zone}`) && !fqdn.slice(0, -zone.length - 1).includes(".")) return { host: fqdn, certificate: "wildcard" };
    if (cnameZones.some((z) => fqdn === z || fqdn.endsWith(`.${z}`))) return { host: fqdn, certificate: "dedicated" };
    return { host: fqdn, certificate: "outside" };
}

/** Apps from config, plus the demo app when enabled, with hosts resolved. */
export function resolvedApps(v: Values): AppConfig[] {
    const apps: AppConfig[] = v.apps.map((a) => {
        const h = resolveHost(a.name, a.host, v.dnsZoneName, v.dns01CnameZones);
        return {
            name: a.name,
            image: a.image,
            port: a.port,
            host: h.host,
            certificate: h.certificate === "dedicated" ? "dedicated" : "wildcard",
            replicas: a.replicas,
            egress: a.egress.map((e) => ({ cidr: e.cidr, port: e.port, protocol: e.protocol })),
        };
    });
    if (v.demoApp && !apps.some((a) => a.name === DEMO_APP.name)) {
        apps.push({
            name: DEMO_APP.name,
            image: DEMO_APP.image,
            port: DEMO_APP.port,
            host: `${DEMO_APP.hostLabel}.${v.dnsZoneName}`,
            certificate: "wildcard",
            replicas: DEMO_APP.replicas,
            egress: [],
        });
    }
    return apps;
}

export function buildPlatformConfig(v: Values): PlatformConfig {
    return {
        environment: v.environment,
        namePrefix: v.namePrefix,
        location: v.location,
        protectResources: v.protectResources,
        cluster: {
            kubernetesVersion: v.kubernetesVersion,
            systemPool: { vmSize: v.systemPoolVmSize, minCount: v.systemPoolMinCount, maxCount: v.systemPoolMaxCount },
            userPool: { vmSize: v.userPoolVmSize, minCount: v.userPoolMinCount, maxCount: v.userPoolMaxCount },
            availabilityZones: v.availabilityZones,
            apiServerAuthorizedIpRanges: v.apiServerAuthorizedIpRanges,
            adminGroupObjectIds: v.clusterAdminGroupObjectIds,
            upgradeChannel: v.upgradeChannel,
            nodeOsUpgradeChannel: v.nodeOsUpgradeChannel,
            upgradeWindows: { cluster: v.clusterUpgradeWindow, nodeOs: v.nodeOsUpgradeWindow },
        },
        network: {
            vnetAddressSpace: v.vnetAddressSpace,
            nodeSubnetCidr: v.nodeSubnetCidr,
            apiServerSubnetCidr: v.apiServerSubnetCidr,
            podCidr: v.podCidr,
            serviceCidr: v.serviceCidr,
            dnsServiceIp: v.dnsServiceIp,
        },
        dns: {
            zoneName: v.dnsZoneName,
            parentZone: v.dnsParentZoneName !== undefined && v.dnsParentZoneResourceGroup !== undefined
                ? { name: v.dnsParentZoneName, resourceGroupName: v.dnsParentZoneResourceGroup }
                : undefined,
            recordTtl: v.dnsRecordTtl,
            caaIodefEmail: v.caaIodefEmail,
        },
        acme: { email: v.acmeEmail, issuer: v.issuer, recursiveNameservers: v.recursiveNameservers, cnameZones: v.dns01CnameZones },
        certManager: { replicas: v.certManagerReplicas },
        ingress: { replicas: v.ingressReplicas },
        monitoring: {
            mode: v.monitoringMode,
            alertEmail: v.alertEmail,
            alertWebhookUrl: v.alertWebhookUrl,
            selectorLabels: v.prometheusSelectorLabels,
            namespace: v.monitoringNamespace,
            podLabels: v.monitoringPodLabels,
        },
        istioCsr: { enabled: v.istioCsrEnabled, meshNamespaces: v.istioMeshNamespaces },
        webhookAllowAnySource: v.webhookAllowAnySource,
        apps: resolvedApps(v),
    };
}
