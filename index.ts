// The Pulumi program: validate the whole stack config first (nothing is created on bad input),
// then build the platform and export what operators need.
import { loadConfig } from "./components/config";
import { createPlatform } from "./components/platform";

const platform = createPlatform(loadConfig());

/** Delegate the zone to these (the parent zone's NS record), unless dnsParentZoneName did it. */
export const nameServers = platform.nameServers;
export const dnsZoneName = platform.dnsZoneName;
export const ingressIp = platform.ingressIp;
export const clusterName = platform.clusterName;
export const resourceGroupName = platform.resourceGroupName;
export const oidcIssuerUrl = platform.oidcIssuerUrl;
export const nodeResourceGroup = platform.nodeResourceGroup;
export const certManagerIdentityClientId = platform.certManagerIdentityClientId;
/** Secret: `pulumi stack output kubeconfig --show-secrets > kubeconfig` (needs kubelogin + az login). */
export const kubeconfig = platform.kubeconfig;
