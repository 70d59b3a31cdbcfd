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
import { IngressRecords } from "./azure/ingress-records";
import { PlatformNamespaces } from "./kubernetes/namespaces";
import { CertManager } from "./kubernetes/cert-manager";
import { ClusterIssuers } from "./kubernetes/cluster-issuers";
import { IngressController } from "./kubernetes/ingress-controller";
import { Application } from "./kubernetes/applications";
import { NetworkPolicies } from "./networking/network-policies";
import { ClusterMonitoring } from "./kubernetes/monitoring";
import { IstioCsr } from "./kubernetes/istio-csr";

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

    new IngressRecords("ingress-records", {
        resourceGroupName: group.name,
        zoneName: zone.zoneName,
        address: ingressIp.address,
        ttl: config.dns.recordTtl,
    });

    // Kubernetes layer: everything goes through the cluster's provider, in dependency order:
    // namespaces -> cert-manager (after its Azure identity) -> issuers -> certificate + ingress -> apps.
    const provider = cluster.provider;
    const namespaces = new PlatformNamespaces("namespaces", { config, provider });
    // Policies exist before any platform pod starts: default deny from the first second, with
    // every allow already in place (a release installed before its allows would hang on its hooks).
    const policies = new NetworkPolicies("network-policies", { config, provider, dependsOn: namespaces.all });

    const certManager = new CertManager("cert-manager", {
        config,
        provider,
        identityClientId: identity.clientId,
        dependsOn: [...namespaces.all, ...identity.ready, policies],
    });

    if (config.monitoring.enabled) {
        new ClusterMonitoring("monitoring", { provider, mode: "prometheus-operator", dependsOn: [...namespaces.all, certManager.release] });
    }

    const issuers = new ClusterIssuers("cluster-issuers", {
        config,
        provider,
        certManagerRelease: certManager.release,
        dns: pulumi.all([client.subscriptionId, group.name, zone.zoneName, identity.clientId]).apply(
            ([subscriptionId, resourceGroupName, zoneName, identityClientId]) => ({ subscriptionId, resourceGroupName, zoneName, identityClientId })),
        dependsOn: namespaces.all,
    });

    if (config.istioCsr.enabled) {
        new IstioCsr("istio-csr", { config, provider, dependsOn: [...namespaces.all, policies, certManager.release, ...issuers.ready] });
    }

    const ingress = new IngressController("ingress", {
        config,
        provider,
        staticIp: pulumi.all([group.name]).apply(([resourceGroupName]) => ({ name: ingressIp.ipName, resourceGroupName })),
        issuers: issuers.ready,
        dnsReady: [...zone.ready, ...identity.ready],
        dependsOn: [...namespaces.all, ...cluster.networkRoles, policies],
    });

    for (const app of config.apps) {
        new Application(`app-${app.name}`, {
            app,
            config,
            provider,
            dependsOn: [namespaces.byName[app.name], policies, ingress.release, ...issuers.ready],
        });
    }

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
