import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { azure } from "../facts";
import { NetworkConfig } from "../config";
import { childOptions } from "../component";

export interface PlatformNetworkArgs {
    /** Resource group the VNet lives in. Required. */
    resourceGroupName: pulumi.Input<string>;
    /** Azure region. Required. */
    location: pulumi.Input<string>;
    /** Address plan (VNet, node subnet, API server subnet), validated by config. Required. */
    addresses: Pick<NetworkConfig, "vnetAddressSpace" | "nodeSubnetCidr" | "apiServerSubnetCidr">;
    /** Prefix of resource names. Required. */
    namePrefix: string;
}

/**
 * The cluster's VNet: a node subnet, and a subnet delegated to AKS so the API server is
 * VNet-integrated (nodes reach it on a private address, no tunnel: learn.microsoft.com/azure/aks/api-server-vnet-integration).
 */
export class PlatformNetwork extends pulumi.ComponentResource {
    readonly vnetId: pulumi.Output<string>;
    readonly nodeSubnetId: pulumi.Output<string>;
    readonly apiServerSubnetId: pulumi.Output<string>;

    constructor(name: string, args: PlatformNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:azure:PlatformNetwork", name, {}, opts);
        const vnet = new network.VirtualNetwork(`${name}-vnet`, {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            virtualNetworkName: `${args.namePrefix}-vnet`,
            addressSpace: { addressPrefixes: [args.addresses.vnetAddressSpace] },
        }, { ...childOptions(this, opts), ignoreChanges: ["subnets"] }); // subnets are their own resources below

        const nodes = new network.Subnet(`${name}-nodes`, {
            resourceGroupName: args.resourceGroupName,
            virtualNetworkName: vnet.name,
            subnetName: "nodes",
            addressPrefix: args.addresses.nodeSubnetCidr,
        }, childOptions(this, opts));

        const apiServer = new network.Subnet(`${name}-apiserver`, {
            resourceGroupName: args.resourceGroupName,
            virtualNetworkName: vnet.name,
            subnetName: "apiserver",
            addressPrefix: args.addresses.apiServerSubnetCidr,
            delegations: [{ name: "aks-apiserver", serviceName: azure.apiServerSubnetDelegation }],
        }, childOptions(this, opts, [nodes])); // Azure rejects concurrent subnet writes on one VNet

        this.vnetId = vnet.id;
        this.nodeSubnetId = nodes.id;
        this.apiServerSubnetId = apiServer.id;
        this.registerOutputs({ vnetId: this.vnetId, nodeSubnetId: this.nodeSubnetId, apiServerSubnetId: this.apiServerSubnetId });
    }
}
