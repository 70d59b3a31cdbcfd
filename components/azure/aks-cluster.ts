import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { azure } from "../facts";
import { MaintenanceWindow, NetworkConfig, PlatformConfig } from "../config";
import { childOptions } from "../component";
import { subscriptionRoleId, roleAssignment } from "./roles";

/** What the cluster is built from: the config's cluster settings plus what the environment decides. */
export interface ClusterSettings {
    /** AKS resource name. */
    readonly name: string;
    readonly dnsPrefix: string;
    /** Standard carries the API server's uptime SLA (prod); Free has none. */
    readonly tier: "Free" | "Standard";
    /** Taint the system pool so only critical add-ons run there (prod). */
    readonly dedicatedSystemPool: boolean;
    readonly cluster: PlatformConfig["cluster"];
    readonly network: Pick<NetworkConfig, "podCidr" | "serviceCidr" | "dnsServiceIp">;
}

/** The cluster settings of a stack. */
export function clusterSettings(config: PlatformConfig): ClusterSettings {
    const prod = config.environment === "prod";
    const prefix = `${config.namePrefix}-${config.environment}`;
    return {
        name: `${prefix}-aks`,
        dnsPrefix: prefix,
        tier: prod ? "Standard" : "Free",
        dedicatedSystemPool: prod,
        cluster: config.cluster,
        network: config.network,
    };
}

/** Cluster settings as plain data: the hardening lives here, testable without Pulumi. */
export type ClusterSpec = Omit<containerservice.ManagedClusterArgs, "resourceGroupName" | "location" | "resourceName">;

export interface ClusterIds {
    nodeSubnetId: pulumi.Input<string>;
    apiServerSubnetId: pulumi.Input<string>;
    /** The control plane's user-assigned identity (granted its network roles before the cluster exists). */
    controlPlaneIdentityId: pulumi.Input<string>;
}

export function clusterSpec(s: ClusterSettings, ids: ClusterIds): ClusterSpec {
    const c = s.cluster;
    const zones = c.availabilityZones.length > 0 ? [...c.availabilityZones] : undefined;
    return {
        // Applies when the cluster is created; afterwards the upgrade channel moves the version and
        // the component ignores changes to it (see ignoreChanges below and docs/upgrades.md).
        kubernetesVersion: c.kubernetesVersion,
        dnsPrefix: s.dnsPrefix,
        sku: { name: "Base", tier: s.tier },
        // User-assigned, not system-assigned: with our own VNet and API server VNet integration the
        // identity must hold Network Contributor on the subnets before the cluster is created.
        identity: { type: "UserAssigned", userAssignedIdentities: [ids.controlPlaneIdentityId] },
        enableRBAC: true,
        disableLocalAccounts: true, // only Entra ID identities can sign in; no static admin kubeconfig
        aadProfile: {
            managed: true,
            // Kubernetes authorization through Azure role assignments. With it, aadProfile's
            // adminGroupObjectIDs grants nothing (learn.microsoft.com/azure/aks/manage-azure-rbac):
            // admins get Azure roles on the cluster instead (AksCluster below).
            enableAzureRBAC: true,
        },
        oidcIssuerProfile: { enabled: true },
        securityProfile: {
            workloadIdentity: { enabled: true },
            imageCleaner: { enabled: true, intervalHours: 48 },
        },
        autoUpgradeProfile: { upgradeChannel: c.upgradeChannel, nodeOSUpgradeChannel: c.nodeOsUpgradeChannel },
        apiServerAccessProfile: {
            enableVnetIntegration: true,
            subnetId: ids.apiServerSubnetId,
            authorizedIPRanges: c.apiServerAuthorizedIpRanges.length > 0 ? [...c.apiServerAuthorizedIpRanges] : undefined,
        },
        networkProfile: {
            networkPlugin: "azure",
            networkPluginMode: "overlay",
            networkDataplane: "cilium",
            networkPolicy: "cilium", // policies are enforced; with "none" every NetworkPolicy is silently ignored
            loadBalancerSku: "standard",
            outboundType: "loadBalancer",
            podCidr: s.network.podCidr,
            serviceCidr: s.network.serviceCidr,
            dnsServiceIP: s.network.dnsServiceIp,
        },
        agentPoolProfiles: [
            {
                name: "system",
                mode: "System",
                vmSize: c.systemPool.vmSize,
                osType: "Linux",
                osSKU: "AzureLinux",
                enableAutoScaling: true,
                minCount: c.systemPool.minCount,
                maxCount: c.systemPool.maxCount,
                count: c.systemPool.minCount,
                availabilityZones: zones,
                vnetSubnetID: ids.nodeSubnetId,
                // Only critical add-ons run here, so apps cannot starve CoreDNS or the metrics agents.
                nodeTaints: s.dedicatedSystemPool ? ["CriticalAddonsOnly=true:NoSchedule"] : undefined,
                upgradeSettings: { maxSurge: "33%" },
            },
            {
                name: "user",
                mode: "User",
                vmSize: c.userPool.vmSize,
                osType: "Linux",
                osSKU: "AzureLinux",
                enableAutoScaling: true,
                minCount: c.userPool.minCount,
                maxCount: c.userPool.maxCount,
                count: c.userPool.minCount,
                availabilityZones: zones,
                vnetSubnetID: ids.nodeSubnetId,
                upgradeSettings: { maxSurge: "33%" },
            },
        ],
    };
}

/** AKS's planned-maintenance configuration names: AKS only reads windows under these two names. */
export const MAINTENANCE_CONFIGURATIONS = {
    cluster: "aksManagedAutoUpgradeSchedule",
    nodeOs: "aksManagedNodeOSUpgradeSchedule",
} as const;

/**
 * The maintenance windows as MaintenanceConfiguration bodies: weekly, every week, with the
 * configured start, duration and UTC offset (learn.microsoft.com/azure/aks/planned-maintenance).
 */
export function maintenanceWindows(windows: PlatformConfig["cluster"]["upgradeWindows"]): { configName: string; maintenanceWindow: containerservice.MaintenanceConfigurationArgs["maintenanceWindow"] }[] {
    const body = (w: MaintenanceWindow): containerservice.MaintenanceConfigurationArgs["maintenanceWindow"] => ({
        schedule: { weekly: { dayOfWeek: w.day, intervalWeeks: 1 } },
        startTime: w.start,
        durationHours: w.durationHours,
        utcOffset: w.utcOffset,
    });
    return [
        { configName: MAINTENANCE_CONFIGURATIONS.cluster, maintenanceWindow: body(windows.cluster) },
        { configName: MAINTENANCE_CONFIGURATIONS.nodeOs, maintenanceWindow: body(windows.nodeOs) },
    ];
}

/**
 * The user-credentials format asked of AKS: `exec` (kubelogin) rather than `azure`, the auth-provider
 * format (@pulumi/azure-native listManagedClusterUserCredentials, `format`).
 */
export const USER_KUBECONFIG_FORMAT = "exec";

/**
 * Rewrites AKS's Entra ID (exec) kubeconfig to sign in with the Azure CLI's token, as
 * `kubelogin convert-kubeconfig -l azurecli` does: non-interactive, so `pulumi up` in CI works
 * after `az login`. Needs kubelogin on the PATH of the machine running Pulumi.
 */
export function toAzureCliKubeconfig(kubeconfig: string): string {
    const doc = parseYaml(kubeconfig) as { users?: { name: string; user: { exec?: { args?: string[] } } }[] };
    for (const u of doc.users ?? []) {
        // An auth-provider user is the `azure` format, whose client-go plugin is gone since Kubernetes 1.26.
        const args = u.user.exec?.args;
        if (!args) throw new Error(`kubeconfig user ${u.name} has no exec section (the legacy azure auth-provider format); ask AKS for format "exec"`);
        const i = args.indexOf("--server-id");
        if (i < 0 || i + 1 >= args.length) throw new Error(`kubeconfig user ${u.name}: exec args have no --server-id; is this an Entra ID cluster kubeconfig?`);
        u.user.exec = { ...u.user.exec, args: ["get-token", "--login", "azurecli", "--server-id", args[i + 1]] };
    }
    return toYaml(doc);
}

/** The first kubeconfig AKS lists (base64, exec format), ready for the Azure CLI sign-in. */
export function userKubeconfig(kubeconfigs: readonly { value?: string }[]): string {
    const value = kubeconfigs[0]?.value;
    if (!value) throw new Error("AKS returned no user kubeconfig");
    return toAzureCliKubeconfig(Buffer.from(value, "base64").toString("utf8"));
}

export interface AksClusterArgs {
    /** Resource group of the cluster. Required. */
    resourceGroupName: pulumi.Input<string>;
    /** Azure region. Required. */
    location: string;
    /** Azure name of the control plane's user-assigned identity. Required. */
    controlPlaneIdentityName: string;
    /** Name, tier, pools, upgrades and network settings (`clusterSettings(config)`). Required. */
    settings: ClusterSettings;
    /** Node subnet id: the control plane gets Network Contributor on it. Required. */
    nodeSubnetId: pulumi.Input<string>;
    /** API server subnet id (delegated): the control plane gets Network Contributor on it. Required. */
    apiServerSubnetId: pulumi.Input<string>;
    /** The ingress IP's own resource group: the cloud provider lists public IPs there. Required. */
    ingressIpResourceGroupId: pulumi.Input<string>;
    /** Subscription id, for role definition ids. Required. */
    subscriptionId: pulumi.Input<string>;
    /** Extra cluster settings merged into the spec (the managed Prometheus profile). Default: none. */
    addOns?: Partial<ClusterSpec>;
}

/** A hardened AKS cluster: Entra ID + Azure RBAC only, workload identity, Cilium policy, zones, auto-upgrades in windows. */
export class AksCluster extends pulumi.ComponentResource {
    readonly clusterName: pulumi.Output<string>;
    readonly clusterId: pulumi.Output<string>;
    readonly oidcIssuerUrl: pulumi.Output<string>;
    readonly nodeResourceGroup: pulumi.Output<string>;
    readonly principalId: pulumi.Output<string>;
    /** Secret: the user kubeconfig (Entra ID, kubelogin with the Azure CLI). */
    readonly kubeconfig: pulumi.Output<string>;
    readonly provider: k8s.Provider;
    /** Role assignments the cloud provider needs before a LoadBalancer Service can take the static IP. */
    readonly networkRoles: pulumi.Resource[];

    constructor(name: string, args: AksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:azure:AksCluster", name, {}, opts);
        const s = args.settings;
        // The control plane's identity exists first, so it can be granted what the cluster needs at creation.
        const controlPlane = new managedidentity.UserAssignedIdentity(`${name}-control-plane`, {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            resourceName: args.controlPlaneIdentityName,
        }, childOptions(this, opts));
        const principalId = controlPlane.principalId;
        const networkContributor = subscriptionRoleId(args.subscriptionId, azure.roles.networkContributor);
        // Network Contributor exactly where the control plane works: the two subnets (API server VNet
        // integration with your own VNet: learn.microsoft.com/azure/aks/api-server-vnet-integration,
        // "Bring your own VNet"), and the ingress IP's own resource group, where the cloud provider
        // lists and updates public IPs (see IngressIp). Never the DNS zone's group.
        const grants: [string, pulumi.Input<string>][] = [
            ["node-subnet", args.nodeSubnetId],
            ["apiserver-subnet", args.apiServerSubnetId],
            ["ingress-ip-group", args.ingressIpResourceGroupId],
        ];
        this.networkRoles = grants.map(([what, scope]) => roleAssignment(`${name}-${what}-network-contributor`, {
            principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: networkContributor,
            scope,
        }, childOptions(this, opts)));

        const cluster = new containerservice.ManagedCluster(name, {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            resourceName: s.name,
            ...clusterSpec(s, { ...args, controlPlaneIdentityId: controlPlane.id }),
            ...args.addOns,
        }, {
            ...childOptions(this, opts, this.networkRoles),
            // The autoscaler owns node counts; AKS owns the version once auto-upgrade moves it.
            ignoreChanges: ["agentPoolProfiles[*].count", "kubernetesVersion", "agentPoolProfiles[*].orchestratorVersion"],
        });

        // With Azure RBAC, Kubernetes rights come from Azure roles on the cluster: Cluster Admin for
        // the API, Cluster User to fetch a kubeconfig (mspnp/aks-baseline assigns the same pair).
        for (const group of s.cluster.adminGroupObjectIds) {
            for (const [what, role] of [["rbac-cluster-admin", azure.roles.aksRbacClusterAdmin], ["cluster-user", azure.roles.aksClusterUser]] as const) {
                roleAssignment(`${name}-admins-${group.slice(0, 8)}-${what}`, {
                    principalId: group,
                    principalType: "Group",
                    roleDefinitionId: subscriptionRoleId(args.subscriptionId, role),
                    scope: cluster.id,
                }, childOptions(this, opts));
            }
        }

        for (const w of maintenanceWindows(s.cluster.upgradeWindows)) {
            new containerservice.MaintenanceConfiguration(`${name}-${w.configName}`, {
                resourceGroupName: args.resourceGroupName,
                resourceName: cluster.name,
                configName: w.configName,
                maintenanceWindow: w.maintenanceWindow,
            }, childOptions(this, opts));
        }

        const credentials = containerservice.listManagedClusterUserCredentialsOutput({
            resourceGroupName: args.resourceGroupName,
            resourceName: cluster.name,
            format: USER_KUBECONFIG_FORMAT,
        }, { parent: this });
        this.kubeconfig = pulumi.secret(credentials.kubeconfigs.apply(userKubeconfig));
        this.provider = new k8s.Provider(`${name}-k8s`, {
            kubeconfig: this.kubeconfig,
            enableServerSideApply: true,
            deleteUnreachable: false,
        }, childOptions(this, opts));

        this.clusterName = cluster.name;
        this.clusterId = cluster.id;
        this.oidcIssuerUrl = cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? "");
        this.nodeResourceGroup = cluster.nodeResourceGroup.apply((g) => g ?? "");
        this.principalId = principalId;
        this.registerOutputs({
            clusterName: this.clusterName,
            oidcIssuerUrl: this.oidcIssuerUrl,
            nodeResourceGroup: this.nodeResourceGroup,
            kubeconfig: this.kubeconfig,
        });
    }
}
