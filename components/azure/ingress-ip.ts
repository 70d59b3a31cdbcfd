import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";

export interface IngressIpArgs {
    /** Resource group of the IP (the platform's, not AKS's node resource group, which AKS owns). Required. */
    resourceGroupName: pulumi.Input<string>;
    /** Azure region. Required. */
    location: pulumi.Input<string>;
    /** Zones the IP spans; [] for a region without zones. Default: none. */
    zones?: readonly string[];
    /** Azure name of the IP; the ingress Service names it in an annotation. Required. */
    ipName: string;
    /** Protect from deletion (the DNS records point at it). Default: false. */
    protect?: boolean;
}

/**
 * The static public IP of the ingress controller. It lives outside the node resource group so
 * it survives cluster re-creation; the cluster identity gets Network Contributor on it (see AksCluster).
 */
export class IngressIp extends pulumi.ComponentResource {
    readonly id: pulumi.Output<string>;
    readonly address: pulumi.Output<string>;
    readonly ipName: string;

    constructor(name: string, args: IngressIpArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:azure:IngressIp", name, {}, opts);
        const ip = new network.PublicIPAddress(name, {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            publicIpAddressName: args.ipName,
            sku: { name: "Standard", tier: "Regional" }, // a Standard load balancer needs a Standard IP
            publicIPAllocationMethod: "Static",
            publicIPAddressVersion: "IPv4",
            zones: args.zones && args.zones.length > 0 ? [...args.zones] : undefined,
        }, { parent: this, protect: args.protect ?? false });
        this.id = ip.id;
        this.ipName = args.ipName;
        this.address = ip.ipAddress.apply((a) => a ?? "");
        this.registerOutputs({ id: this.id, address: this.address });
    }
}
