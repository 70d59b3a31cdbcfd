/**
 * The one source of what "Azure" and "Kubernetes" answer when nothing real is there: resource
 * ids, outputs Azure computes, and the results of the functions the program invokes. Used by the
 * offline plan's mocks (plan/mocks.ts) and by the stand-in provider plugins the real Pulumi
 * engine runs (engine/standins/), so both worlds see the same values.
 *
 * Placeholder values are shaped like the real API's (ARM ids, OIDC issuer URLs, name servers, a
 * kubelogin kubeconfig) so code that parses them is exercised.
 */
import { createHash } from "crypto";
import { stringify as toYaml } from "yaml";

export const MOCK_SUBSCRIPTION_ID = "00000000-0000-4000-8000-000000000001";
export const MOCK_TENANT_ID = "00000000-0000-4000-8000-000000000002";

/** A stable, GUID-shaped value derived from a seed, so plans are reproducible. */
export function mockGuid(seed: string): string {
    const h = createHash("sha256").update(seed).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function str(v: unknown, fallback: string): string {
    return typeof v === "string" && v !== "" ? v : fallback;
}

function record(v: unknown): Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The ARM id of an azure-native resource from its type token and inputs. */
export function azureResourceId(type: string, inputs: Record<string, unknown>, name: string): string {
    const rg = str(inputs.resourceGroupName, "rg");
    const base = `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${rg}/providers`;
    switch (type) {
        case "azure-native:resources:ResourceGroup":
            return `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${str(inputs.resourceGroupName, name)}`;
        case "azure-native:network:VirtualNetwork":
            return `${base}/Microsoft.Network/virtualNetworks/${str(inputs.virtualNetworkName, name)}`;
        case "azure-native:network:Subnet":
            return `${base}/Microsoft.Network/virtualNetworks/${str(inputs.virtualNetworkName, "vnet")}/subnets/${str(inputs.subnetName, name)}`;
        case "azure-native:network:PublicIPAddress":
            return `${base}/Microsoft.Network/publicIPAddresses/${str(inputs.publicIpAddressName, name)}`;
        case "azure-native:containerservice:ManagedCluster":
            return `${base}/Microsoft.ContainerService/managedClusters/${str(inputs.resourceName, name)}`;
        case "azure-native:dns:Zone":
            return `${base}/Microsoft.Network/dnszones/${str(inputs.zoneName, name)}`;
        case "azure-native:dns:RecordSet":
            return `${base}/Microsoft.Network/dnszones/${str(inputs.zoneName, "zone")}/${str(inputs.recordType, "A")}/${str(inputs.relativeRecordSetName, name)}`;
        case "azure-native:managedidentity:UserAssignedIdentity":
            return `${base}/Microsoft.ManagedIdentity/userAssignedIdentities/${str(inputs.resourceName, name)}`;
        case "azure-native:managedidentity:FederatedIdentityCredential":
            return `${base}/Microsoft.ManagedIdentity/userAssignedIdentities/${str(inputs.resourceName, "identity")}/federatedIdentityCredentials/${str(inputs.federatedIdentityCredentialResourceName, name)}`;
        case "azure-native:authorization:RoleAssignment":
            // A role assignment's id is its scope followed by /providers/...; with no scope, the tenant-level id
            // starting at /providers (learn.microsoft.com/rest/api/authorization/role-assignments/get-by-id).
            return `${str(inputs.scope, "")}/providers/Microsoft.Authorization/roleAssignments/${mockGuid(name)}`;
        default:
            return `${name}-id`;
    }
}

/**
 * Outputs Azure computes on create, added to the inputs. During a preview none of these is known
 * (the real provider does not know an IP, a client id or name servers before the resource
 * exists): the engine hands back the inputs and the SDK sees these keys as unknown.
 */
export function azureComputedOutputs(type: string, inputs: Record<string, unknown>, name: string): Record<string, unknown> {
    switch (type) {
        case "azure-native:containerservice:ManagedCluster": {
            const location = str(inputs.location, "westeurope");
            const clusterName = str(inputs.resourceName, name);
            return {
                name: clusterName,
                fqdn: `${str(inputs.dnsPrefix, clusterName)}-${mockGuid(name).slice(0, 8)}.hcp.${location}.azmk8s.io`,
                nodeResourceGroup: `MC_${str(inputs.resourceGroupName, "rg")}_${clusterName}_${location}`,
                oidcIssuerProfile: { enabled: true, issuerURL: `https://${location}.oic.prod-aks.azure.com/${MOCK_TENANT_ID}/${mockGuid(`${name}-oidc`)}/` },
                identity: { ...record(inputs.identity), principalId: mockGuid(`${name}-principal`), tenantId: MOCK_TENANT_ID },
                provisioningState: "Succeeded",
            };
        }
        case "azure-native:dns:Zone": {
            const n = Number.parseInt(mockGuid(name).slice(0, 2), 16) % 9;
            return {
                name: str(inputs.zoneName, name),
                nameServers: [`ns1-0${n}.azure-dns.com.`, `ns2-0${n}.azure-dns.net.`, `ns3-0${n}.azure-dns.org.`, `ns4-0${n}.azure-dns.info.`],
            };
        }
        case "azure-native:managedidentity:UserAssignedIdentity":
            return { name: str(inputs.resourceName, name), clientId: mockGuid(`${name}-client`), principalId: mockGuid(`${name}-principal`), tenantId: MOCK_TENANT_ID };
        case "azure-native:network:PublicIPAddress": {
            const h = createHash("sha256").update(name).digest();
            return { name: str(inputs.publicIpAddressName, name), ipAddress: `20.${50 + (h[0] % 100)}.${h[1]}.${1 + (h[2] % 250)}` };
        }
        case "azure-native:network:VirtualNetwork":
            return { name: str(inputs.virtualNetworkName, name) };
        case "azure-native:network:Subnet":
            return { name: str(inputs.subnetName, name) };
        case "azure-native:resources:ResourceGroup":
            return { name: str(inputs.resourceGroupName, name) };
        default:
            return {};
    }
}

/** The id the Kubernetes API gives an object: `namespace/name` (or `name` when cluster-scoped); a Helm release: `namespace/release`. */
export function kubernetesResourceId(type: string, inputs: Record<string, unknown>, name: string): string {
    if (type === "kubernetes:helm.sh/v3:Release") return `${str(inputs.namespace, "default")}/${str(inputs.name, name)}`;
    const meta = record(inputs.metadata);
    const ns = typeof meta.namespace === "string" ? `${meta.namespace}/` : "";
    return `${ns}${str(meta.name, name)}`;
}

/** What the API server adds: an empty status until controllers fill it in. */
export function kubernetesComputedOutputs(inputs: Record<string, unknown>): Record<string, unknown> {
    return { status: inputs.status ?? {} };
}

/** The id and full state of a created resource of any package the program uses. */
export function createdResource(type: string, inputs: Record<string, unknown>, name: string): { id: string; state: Record<string, unknown> } {
    if (type.startsWith("azure-native:")) {
        return { id: azureResourceId(type, inputs, name), state: { ...inputs, ...azureComputedOutputs(type, inputs, name) } };
    }
    if (type.startsWith("kubernetes:")) {
        return { id: kubernetesResourceId(type, inputs, name), state: { ...inputs, ...kubernetesComputedOutputs(inputs) } };
    }
    return { id: `${name}-id`, state: inputs };
}

/** The exec kubeconfig AKS returns for an Entra ID cluster (format=exec). */
export function mockUserKubeconfig(clusterName: string, server: string): string {
    return toYaml({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server, "certificate-authority-data": Buffer.from("mock-ca").toString("base64") } }],
        contexts: [{ name: clusterName, context: { cluster: clusterName, user: `clusterUser_${clusterName}` } }],
        "current-context": clusterName,
        users: [{
            name: `clusterUser_${clusterName}`,
            user: {
                exec: {
                    apiVersion: "client.authentication.k8s.io/v1beta1",
                    command: "kubelogin",
                    args: ["get-token", "--environment", "AzurePublicCloud", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630",
                        "--client-id", "80faf920-1908-4b52-b5ef-a8e7bedfc67a", "--tenant-id", MOCK_TENANT_ID, "--login", "devicecode"],
                    interactiveMode: "IfAvailable",
                    provideClusterInfo: false,
                },
            },
        }],
    });
}

/** The `azure` format AKS returns for an Entra ID cluster: the client-go auth-provider plugin, removed in Kubernetes 1.26. */
export function mockAuthProviderKubeconfig(clusterName: string, server: string): string {
    return toYaml({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server } }],
        contexts: [{ name: clusterName, context: { cluster: clusterName, user: `clusterUser_${clusterName}` } }],
        "current-context": clusterName,
        users: [{ name: `clusterUser_${clusterName}`, user: { "auth-provider": { name: "azure", config: { "apiserver-id": "6dae42f8-4368-4678-94ff-3960e28e3630", "tenant-id": MOCK_TENANT_ID } } } }],
    });
}

/** The functions the program invokes, by token. Anything else is an error naming the token. */
export const ANSWERED_INVOKES = [
    "azure-native:authorization:getClientConfig",
    "azure-native:containerservice:listManagedClusterUserCredentials",
] as const;

export class UnansweredInvokeError extends Error {
    constructor(readonly token: string, where: string) {
        super(`${where}: no answer for invoke ${token}; add one to plan/answers.ts (answered: ${ANSWERED_INVOKES.join(", ")})`);
        this.name = "UnansweredInvokeError";
    }
}

/** The result of an invoke the program makes. */
export function invokeAnswer(token: string, inputs: Record<string, unknown>, where: string): Record<string, unknown> {
    switch (token) {
        case "azure-native:authorization:getClientConfig":
            return { clientId: mockGuid("client"), objectId: mockGuid("object"), subscriptionId: MOCK_SUBSCRIPTION_ID, tenantId: MOCK_TENANT_ID };
        case "azure-native:containerservice:listManagedClusterUserCredentials": {
            const cluster = str(inputs.resourceName, "cluster");
            const server = `https://${cluster}-${mockGuid(cluster).slice(0, 8)}.hcp.westeurope.azmk8s.io:443`;
            // AKS answers the legacy auth-provider kubeconfig unless asked for format "exec" (@pulumi/azure-native
            // listManagedClusterUserCredentials, `format`: "'azure' will return azure auth-provider kubeconfig").
            const kubeconfig = inputs.format === "exec" ? mockUserKubeconfig(cluster, server) : mockAuthProviderKubeconfig(cluster, server);
            return { kubeconfigs: [{ name: "clusterUser", value: Buffer.from(kubeconfig).toString("base64") }] };
        }
        default:
            // An unanswered invoke would hang the run or mislead it; fail loudly instead.
            throw new UnansweredInvokeError(token, where);
    }
}
