import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { childOptions } from "../component";

export interface IngressIpArgs {
    /** Name of the resource group created for the IP alone. Required. */
    resourceGroupName: string;
    /** Azure region. Required. */
    location: pulumi.Input<string>;
    /** Zones the IP spans; [] for a region without zones. Default: none. */
    zones?: readonly string[];
    /** Azure name of the IP; the ingress Service names it in an annotation. Required. */
    ipName: string;
}

/**
 * The static public IP of the ingress controller, in a resource group of its own.
 *
 * Why its own group: when a LoadBalancer Service names a static IP (`azure-pip-name` plus
 * `azure-load-balancer-resource-group`), cloud-provider-azure LISTS the public IPs of that resource
 * group to find it and may update it (kubernetes-sigs/cloud-provider-azure pkg/provider/
 * azure_publicip_repo.go: newPIPCache calls PublicIPAddressClient.List(resourceGroup), CreateOrUpdatePIP
 * writes tags; Azure/AKS issue 921). A role on the IP alone gets 403 on the list. The cluster
 * identity needs a role on the group, not only on the IP; in a group that holds nothing else,
 * Network Contributor there cannot reach the DNS zone or the VNet. It also survives cluster
 * re-creation, unlike the node resource group AKS owns.
 */
export class IngressIp extends pulumi.ComponentResource {
    readonly id: pulumi.Output<string>;
    readonly address: pulumi.Output<string>;
    readonly ipName: string;
    /** The IP's own resource group: its id is the scope of the cluster identity's role. */
    readonly resourceGroupName: pulumi.Output<string>;
    readonly resourceGroupId: pulumi.Output<string>;

    constructor(name: string, args: IngressIpArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:azure:IngressIp", name, {}, opts);
        const group = new resources.ResourceGroup(`${name}-group`, {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
        }, childOptions(this, opts));
        const ip = new network.PublicIPAddress(name, {
            resourceGroupName: group.name,
            location: args.location,
            publicIpAddressName: args.ipName,
            sku: { name: "Standard", tier: "Regional" }, // a Standard load balancer needs a Standard IP
            publicIPAllocationMethod: "Static",
            publicIPAddressVersion: "IPv4",
            zones: args.zones && args.zones.length > 0 ? [...args.zones] : undefined,
        }, childOptions(this, opts));
        this.id = ip.id;
        this.ipName = args.ipName;
        this.address = ip.ipAddress.apply((a) => a ?? "");
        this.resourceGroupName = group.name;
        this.resourceGroupId = group.id;
        this.registerOutputs({ id: this.id, address: this.address, resourceGroupId: this.resourceGroupId });
    }
}
