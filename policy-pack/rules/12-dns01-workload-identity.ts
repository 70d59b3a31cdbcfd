/**
 * Rule 12: every `azureDNS` DNS-01 solver (ClusterIssuer or Issuer) authenticates with workload
 * identity: `managedIdentity.clientID`; no client secret / service principal, no kubelet identity.
 */
import { arr, get, isObj, str, subjectOf, T } from "./lib/k8s";
import { resourceRule } from "./lib/rule";

export const dns01WorkloadIdentity = resourceRule({
    name: "dns01-workload-identity",
    displayName: "DNS-01 via workload identity",
    description: "Every azureDNS solver uses managedIdentity.clientID (workload identity); no client secret, no kubelet identity.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set azureDNS.managedIdentity.clientID to the client id of cert-manager's user-assigned identity (federated with its service account) and remove clientID, clientSecretSecretRef and tenantID.",
}, [], (type) => type === T.clusterIssuer || type === T.issuer, (r, _cfg, rep) => {
    const subject = subjectOf(r);
    arr(get(r.props, "spec", "acme", "solvers")).forEach((solver, i) => {
        const az = get(solver, "dns01", "azureDNS");
        if (!isObj(az)) return;
        const where = `solvers[${i}].dns01.azureDNS`;
        const fix = `set ${where}.managedIdentity.clientID to cert-manager's workload identity client id and remove clientID, clientSecretSecretRef and tenantID`;
        if (get(az, "clientSecretSecretRef") !== undefined || get(az, "clientID") !== undefined) {
            rep.violation(subject, `${where} authenticates with a service principal secret (clientID/clientSecretSecretRef)`, fix);
        }
        const mi = get(az, "managedIdentity");
        const clientId = str(get(mi, "clientID")) ?? "";
        if (clientId === "") {
            const how = isObj(mi) && get(mi, "resourceID") !== undefined ? "names the identity by resourceID (AAD pod identity)" : "has no managedIdentity.clientID, so cert-manager falls back to the kubelet (node) identity";
            rep.violation(subject, `${where} ${how}`, fix);
        }
    });
});
