import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { azure } from "../facts";
import { PlatformConfig } from "../config";

export interface AksClusterArgs {
    /** Resource group of the cluster. Required. */
    resourceGroupName: pulumi.Input<string>;
    /** Validated platform configuration (cluster, network, environment). Required. */
    config: PlatformConfig;
    /** Node subnet id. Required. */
    nodeSubnetId: pulumi.Input<string>;
    /** Subnet delegated to AKS for the VNet-integrated API server. Required. */
    apiServerSubnetId: pulumi.Input<string>;
    /** VNet id: the cluster identity gets Network Contributor on it (it manages load balancer and API server addresses there). Required. */
    vnetId: pulumi.Input<string>;
    /** Static ingress IP id: the cluster identity gets Network Contributor on it so the cloud provider can attach it. Required. */
    ingressIpId: pulumi.Input<string>;
    /** Subscription id, for role definition ids. Required. */
    subscriptionId: pulumi.Input<string>;
}

/** Cluster settings as plain data: the hardening lives here, testable without Pulumi. */
export type ClusterSpec = Omit<containerservice.ManagedClusterArgs, "resourceGroupName" | "location" | "resourceName">;

export interface ClusterIds {
    nodeSubnetId: pulumi.Input<string>;
    apiServerSubnetId: pulumi.Input<string>;
    /** The control plane's user-assigned identity (granted its network roles before the cluster exists). */
    controlPlaneIdentityId: pulumi.Input<string>;
}

export function clusterSpec(config: PlatformConfig, ids: ClusterIds): ClusterSpec {
    const c = config.cluster;
    const prod = config.environment === "prod";
    const zones = c.availabilityZones.length > 0 ? [...c.availabilityZones] : undefined;
    return {
        kubernetesVersion: c.kubernetesVersion,
        dnsPrefix: `${config.namePrefix}-${config.environment}`,
        sku: { name: "Base", tier: prod ? "Standard" : "Free" }, // Standard tier carries the API server SLA
        // User-assigned, not system-assigned: with our own VNet and API server VNet integration the
        // identity must hold Network Contributor on the subnets before the cluster is created.
        identity: { type: "UserAssigned", userAssignedIdentities: [ids.controlPlaneIdentityId] },
        enableRBAC: true,
        disableLocalAccounts: true, // only Entra ID identities can sign in; no static admin kubeconfig
        aadProfile: {
            managed: true,
            enableAzureRBAC: true, // Kubernetes authorization through Azure role assignments
            adminGroupObjectIDs: c.adminGroupObjectIds.length > 0 ? [...c.adminGroupObjectIds] : undefined,
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
            podCidr: config.network.podCidr,
            serviceCidr: config.network.serviceCidr,
            dnsServiceIP: config.network.dnsServiceIp,
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
                // In prod only system pods run here, so apps cannot starve CoreDNS or the konnectivity agents.
                nodeTaints: prod ? ["CriticalAddonsOnly=true:NoSchedule"] : undefined,
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

/**
 * Rewrites AKS's Entra ID (exec) kubeconfig to sign in with the Azure CLI's token, as
 * `kubelogin convert-kubeconfig -l azurecli` does: non-interactive, so `pulumi up` in CI works
 * after `az login`. Needs kubelogin on the PATH of the machine running Pulumi.
 */
export function toAzureCliKubeconfig(kubeconfig: string): string {
    const doc = parseYaml(kubeconfig) as { users?: { name: string; user: { exec?: { args?: string[] } } }[] };
    for (const u of doc.users ?? []) {
        const args = u.user.exec?.args;
        if (!args) continue;
        const i = args.indexOf("--server-id");
        if (i < 0 || i + 1 >= args.length) throw new Error(`kubeconfig user ${u.name}: exec args have no --server-id; is this an Entra ID cluster kubeconfig?`);
        u.user.exec = { ...u.user.exec, args: ["get-token", "--login", "azurecli", "--server-id", args[i + 1]] };
    }
    return toYaml(doc);
}

/** A hardened AKS cluster: Entra ID + Azure RBAC only, workload identity, Cilium policy, zones, auto-upgrades. */
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
        const cfg = args.config;
        // The control plane's identity exists first, so it can be granted what the cluster needs at creation.
        const controlPlane = new managedidentity.UserAssignedIdentity(`${name}-control-plane`, {
            resourceGroupName: args.resourceGroupName,
            location: cfg.location,
            resourceName: `${cfg.namePrefix}-${cfg.environment}-aks-control-plane`,
        }, { parent: this });
        const principalId = controlPlane.principalId;
        const networkContributor = pulumi.interpolate`/subscriptions/${args.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${azure.networkContributorRoleId}`;
        // It places the API server in its delegated subnet, manages load balancer frontends in the
        // VNet and attaches the static ingress IP: Network Contributor on exactly those two resources.
        const vnetRole = new authorization.RoleAssignment(`${name}-vnet-network-contributor`, {
            principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: networkContributor,
            scope: args.vnetId,
        }, { parent: this });
        const ipRole = new authorization.RoleAssignment(`${name}-ingress-ip-network-contributor`, {
            principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: networkContributor,
            scope: args.ingressIpId,
        }, { parent: this });

        const cluster = new containerservice.ManagedCluster(name, {
            resourceGroupName: args.resourceGroupName,
            location: cfg.location,
            resourceName: `${cfg.namePrefix}-${cfg.environment}-aks`,
            ...clusterSpec(cfg, { ...args, controlPlaneIdentityId: controlPlane.id }),
        }, {
            parent: this,
            protect: cfg.protectResources,
            dependsOn: [vnetRole, ipRole],
            // The autoscaler owns node counts; AKS owns the version once auto-upgrade moves it.
            ignoreChanges: ["agentPoolProfiles[*].count", "kubernetesVersion", "agentPoolProfiles[*].orchestratorVersion"],
        });

        const credentials = containerservice.listManagedClusterUserCredentialsOutput({
            resourceGroupName: args.resourceGroupName,
            resourceName: cluster.name,
            format: "exec",
        }, { parent: this });
        this.kubeconfig = pulumi.secret(credentials.kubeconfigs.apply((kcs) => {
            const value = kcs[0]?.value;
            if (!value) throw new Error("AKS returned no user kubeconfig");
            return toAzureCliKubeconfig(Buffer.from(value, "base64").toString("utf8"));
        }));
        this.provider = new k8s.Provider(`${name}-k8s`, {
            kubeconfig: this.kubeconfig,
            enableServerSideApply: true,
            deleteUnreachable: false,
        }, { parent: this });

        this.networkRoles = [vnetRole, ipRole];
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
