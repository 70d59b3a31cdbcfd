/**
 * The whole platform: composes the Azure layer, the Kubernetes layer and the NetworkPolicies.
 * `index.ts` calls it with the validated config; the offline plan and the tests call it too.
 */
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import * as authorization from "@pulumi/azure-native/authorization";
import { PlatformConfig } from "./config";
import { PlatformNetwork } from "./azure/network";
import { IngressIp } from "./azure/ingress-ip";
import { AksCluster } from "./azure/aks-cluster";
import { DnsZone } from "./azure/dns-zone";
import { CertManagerIdentity } from "./azure/cert-manager-identity";

export interface PlatformOutputs {
    resourceGroupName: pulumi.Output<string>;
    clusterName: pulumi.Output<string>;
    oidcIssuerUrl: pulumi.Output<string>;
    nodeResourceGroup: pulumi.Output<string>;
    kubeconfig: pulumi.Output<string>;
    dnsZoneName: pulumi.Output<string>;
    nameServers: pulumi.Output<string[]>;
    ingressIp: pulumi.Output<string>;
    certManagerIdentityClientId: pulumi.Output<string>;
}

export function createPlatform(config: PlatformConfig): PlatformOutputs {
    const prefix = `${config.namePrefix}-${config.environment}`;
    const client = authorization.getClientConfigOutput();

    const group = new resources.ResourceGroup("platform", {
        resourceGroupName: `${prefix}-rg`,
        location: config.location,
    }, { protect: config.protectResources });

    const net = new PlatformNetwork("network", {
        resourceGroupName: group.name,
        location: config.location,
        addresses: config.network,
        namePrefix: prefix,
    });

    const ingressIp = new IngressIp("ingress-ip", {
        resourceGroupName: group.name,
        location: config.location,
        zones: config.cluster.availabilityZones,
        ipName: `${prefix}-ingress-ip`,
        protect: config.protectResources,
    });

    const cluster = new AksCluster("aks", {
        resourceGroupName: group.name,
        config,
        nodeSubnetId: net.nodeSubnetId,
        apiServerSubnetId: net.apiServerSubnetId,
        vnetId: net.vnetId,
        ingressIpId: ingressIp.id,
        subscriptionId: client.subscriptionId,
    });

    const zone = new DnsZone("dns", {
        resourceGroupName: group.name,
        zoneName: config.dns.zoneName,
        iodefEmail: config.dns.caaIodefEmail,
        ttl: config.dns.recordTtl,
        parentZone: config.dns.parentZone,
        protect: config.protectResources,
    });

    const identity = new CertManagerIdentity("cert-manager-identity", {
        resourceGroupName: group.name,
        location: config.location,
        identityName: `${prefix}-cert-manager`,
        oidcIssuerUrl: cluster.oidcIssuerUrl,
        zoneId: zone.zoneId,
        subscriptionId: client.subscriptionId,
    });

    return {
        resourceGroupName: group.name,
        clusterName: cluster.clusterName,
        oidcIssuerUrl: cluster.oidcIssuerUrl,
        nodeResourceGroup: cluster.nodeResourceGroup,
        kubeconfig: cluster.kubeconfig,
        dnsZoneName: zone.zoneName,
        nameServers: zone.nameServers,
        ingressIp: ingressIp.address,
        certManagerIdentityClientId: identity.clientId,
    };
}
