/**
 * The whole platform: composes the Azure layer, the Kubernetes layer and the NetworkPolicies.
 * `index.ts` calls it with the validated config; the offline plan and the tests call it too.
 *
 * Ordering is by exact dependencies, so the number of dependency edges grows linearly with the
 * number of apps: each workload waits for its own namespace, that namespace's NetworkPolicies
 * (default deny and its allows exist before its first pod) and the platform parts it uses.
 */
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import * as authorization from "@pulumi/azure-native/authorization";
import { PlatformConfig } from "./config";
import { certManager as certManagerFacts, istioCsr as istioCsrFacts, nginxIngress } from "./facts";
import { PlatformNetwork } from "./azure/network";
import { IngressIp } from "./azure/ingress-ip";
import { AksCluster, clusterSettings } from "./azure/aks-cluster";
import { DnsZone } from "./azure/dns-zone";
import { CertManagerIdentity } from "./azure/cert-manager-identity";
import { IngressRecords } from "./azure/ingress-records";
import { PlatformNamespaces } from "./kubernetes/namespaces";
import { managedNamespaces } from "./kubernetes/namespace-specs";
import { CertManager, certManagerSettings } from "./kubernetes/cert-manager";
import { ClusterIssuers } from "./kubernetes/cluster-issuers";
import { IngressController, ingressSettings } from "./kubernetes/ingress-controller";
import { Application } from "./kubernetes/applications";
import { NetworkPolicies } from "./networking/network-policies";
import { ClusterMonitoring } from "./kubernetes/monitoring";
import { ManagedPrometheus, managedPrometheusProfile } from "./azure/monitoring";
import { IstioCsr, istioCsrSettings } from "./kubernetes/istio-csr";

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
    const protect = config.protectResources;

    const group = new resources.ResourceGroup("platform", {
        resourceGroupName: `${prefix}-rg`,
        location: config.location,
    }, { protect });

    const net = new PlatformNetwork("network", {
        resourceGroupName: group.name,
        location: config.location,
        addresses: config.network,
        namePrefix: prefix,
    });

    const ingressIp = new IngressIp("ingress-ip", {
        resourceGroupName: `${prefix}-ingress-rg`,
        location: config.location,
        zones: config.cluster.availabilityZones,
        ipName: `${prefix}-ingress-ip`,
    }, { protect });

    const cluster = new AksCluster("aks", {
        resourceGroupName: group.name,
        location: config.location,
        controlPlaneIdentityName: `${prefix}-aks-control-plane`,
        settings: clusterSettings(config),
        nodeSubnetId: net.nodeSubnetId,
        apiServerSubnetId: net.apiServerSubnetId,
        ingressIpResourceGroupId: ingressIp.resourceGroupId,
        subscriptionId: client.subscriptionId,
        addOns: { azureMonitorProfile: managedPrometheusProfile(config.monitoring.mode) },
    }, { protect });

    // Alerts on Azure Monitor managed Prometheus (monitoring mode azure): workspace, collection, rules, action group.
    const managedPrometheus = config.monitoring.mode === "azure"
        ? new ManagedPrometheus("managed-prometheus", {
            location: config.location,
            namePrefix: prefix,
            alertEmail: config.monitoring.alertEmail,
            alertWebhookUrl: config.monitoring.alertWebhookUrl,
            actionGroupShortName: `aks-${config.environment}`,
            resourceGroupName: group.name,
            clusterId: cluster.clusterId,
            clusterName: cluster.clusterName,
        })
        : undefined;

    const zone = new DnsZone("dns", {
        resourceGroupName: group.name,
        zoneName: config.dns.zoneName,
        iodefEmail: config.dns.caaIodefEmail,
        ttl: config.dns.recordTtl,
        parentZone: config.dns.parentZone,
    }, { protect });

    const identity = new CertManagerIdentity("cert-manager-identity", {
        resourceGroupName: group.name,
        resourceGroupId: group.id,
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
    // namespaces -> their policies -> cert-manager (after its Azure identity) -> issuers ->
    // wildcard certificate + ingress -> apps.
    const k8sOpts = { providers: [cluster.provider] };
    const namespaces = new PlatformNamespaces("namespaces", { namespaces: managedNamespaces(config) }, k8sOpts);
    const policies = new NetworkPolicies("network-policies", { config, namespaces: namespaces.byName }, k8sOpts);
    /** A namespace and its NetworkPolicies: what a workload in it must wait for. */
    const ready = (namespace: string): pulumi.Resource[] => [namespaces.byName[namespace], ...policies.forNamespace(namespace)];

    const certManager = new CertManager("cert-manager", {
        settings: certManagerSettings(config),
        identityClientId: identity.clientId,
    }, { ...k8sOpts, dependsOn: [...ready(certManagerFacts.namespace), namespaces.priorityClass, ...identity.ready] });

    const issuers = new ClusterIssuers("cluster-issuers", {
        email: config.acme.email,
        cnameZones: config.acme.cnameZones,
        dns: pulumi.all([client.subscriptionId, group.name, zone.zoneName, identity.clientId]).apply(
            ([subscriptionId, resourceGroupName, zoneName, identityClientId]) => ({ subscriptionId, resourceGroupName, zoneName, identityClientId })),
    }, { ...k8sOpts, dependsOn: [certManager.release] });

    if (config.istioCsr.enabled) {
        new IstioCsr("istio-csr", {
            settings: istioCsrSettings(config),
        }, { ...k8sOpts, dependsOn: [...ready(istioCsrFacts.namespace), certManager.release, ...issuers.ready] });
    }

    const ingress = new IngressController("ingress", {
        settings: ingressSettings(config),
        zoneName: config.dns.zoneName,
        issuer: config.acme.issuer,
        staticIp: ingressIp.resourceGroupName.apply((resourceGroupName) => ({ name: ingressIp.ipName, resourceGroupName })),
        certificateDependsOn: [...issuers.ready, ...zone.ready, ...identity.ready],
    }, { ...k8sOpts, dependsOn: [...ready(nginxIngress.namespace), namespaces.priorityClass, ...cluster.networkRoles] });

    // The cluster side of monitoring: PrometheusRules for your Prometheus, or the add-on's PodMonitors.
    if (config.monitoring.mode !== "none") {
        new ClusterMonitoring("monitoring", {
            mode: config.monitoring.mode,
            prometheusSelectorLabels: config.monitoring.selectorLabels,
        }, { ...k8sOpts, dependsOn: [certManager.release, ingress.release, ...(managedPrometheus ? [managedPrometheus.association] : [])] });
    }

    for (const app of config.apps) {
        new Application(`app-${app.name}`, { app, issuer: config.acme.issuer }, {
            ...k8sOpts,
            dependsOn: [...ready(app.name), ingress.release, ...(app.certificate === "dedicated" ? issuers.ready : [])],
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
