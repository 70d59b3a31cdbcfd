import * as assert from "assert";
import { at, ofType, one, STACKS, stackRun } from "../support/runs";
import { certManager, internalCa, nginxIngress, platformPriorityClass } from "../../components/facts";
import { runProgram } from "../../plan/program";
import type { PlanResource } from "../../policy-pack/plan-resource";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const CLUSTER_ISSUER = "kubernetes:cert-manager.io/v1:ClusterIssuer";
const CERTIFICATE = "kubernetes:cert-manager.io/v1:Certificate";
const EXACT_SEMVER = /^v?\d+\.\d+\.\d+$/;

function release(resources: PlanResource[], chartPart: string): PlanResource {
    const found = ofType(resources, RELEASE).filter((r) => String(r.props.chart).includes(chartPart));
    assert.strictEqual(found.length, 1, `releases matching ${chartPart}`);
    return found[0];
}

/** cert-manager's role assignment on the zone (the custom TXT role). */
function dnsRoleAssignment(resources: PlanResource[]): PlanResource | undefined {
    return ofType(resources, "azure-native:authorization:RoleAssignment").find((r) => r.parent?.endsWith("::cert-manager-identity"));
}

/** True when r depends on target directly or through other resources. */
function dependsOn(resources: PlanResource[], r: PlanResource, target: string): boolean {
    const byUrn = new Map(resources.map((x) => [x.urn, x]));
    const seen = new Set<string>();
    const stack = [...r.dependencies];
    while (stack.length > 0) {
        const urn = stack.pop() as string;
        if (urn === target) return true;
        if (seen.has(urn)) continue;
        seen.add(urn);
        stack.push(...(byUrn.get(urn)?.dependencies ?? []));
    }
    return false;
}

describe("Kubernetes platform layer", () => {
    for (const stack of STACKS) {
        describe(`${stack} stack`, () => {
            let resources: PlanResource[];
            beforeEach(async () => { resources = (await stackRun(stack)).resources; });

            it("sends every Kubernetes resource through the cluster's provider", () => {
                const provider = one(resources, "pulumi:providers:kubernetes");
                const k8s = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
                assert.ok(k8s.length > 5);
                for (const r of k8s) assert.ok(r.provider?.startsWith(`${provider.urn}::`), `${r.type} ${r.name} uses provider ${r.provider}`);
            });

            it("pins both charts to exact versions with a repository", () => {
                const cm = release(resources, "cert-manager");
                assert.match(String(cm.props.version), EXACT_SEMVER);
                assert.strictEqual(at(cm.props, "repositoryOpts.repo"), "https://charts.jetstack.io");
                const nginx = release(resources, "nginx-ingress");
                assert.match(String(nginx.props.version), EXACT_SEMVER);
                assert.match(String(nginx.props.chart), /^oci:\/\/ghcr\.io\/nginx\/charts\/nginx-ingress$/);
                for (const r of [cm, nginx]) {
                    assert.strictEqual(r.props.atomic, true);
                    assert.strictEqual(r.props.cleanupOnFail, true);
                    assert.strictEqual(r.props.createNamespace, false);
                }
            });

            it("installs cert-manager's CRDs with the chart and keeps them on uninstall", () => {
                const values = release(resources, "cert-manager").props.values;
                assert.strictEqual(at(values, "crds.enabled"), true);
                assert.strictEqual(at(values, "crds.keep"), true);
            });

            it("wires workload identity: the identity's client id reaches the controller's service account", () => {
                const cm = release(resources, "cert-manager");
                const identity = one(resources, "azure-native:managedidentity:UserAssignedIdentity", "cert-manager-identity");
                const annotations = at(cm.props.values, "serviceAccount.annotations") as Record<string, string>;
                assert.ok(annotations["azure.workload.identity/client-id"], "no client-id annotation");
                assert.ok(cm.propertyDependencies.values.includes(identity.urn), "values must come from the identity's output");
                assert.strictEqual(at(cm.props.values, "serviceAccount.name"), certManager.controllerServiceAccount);
                // Label values must be the string "true": the API server rejects a YAML boolean.
                assert.strictEqual(at(cm.props.values, "podLabels")?.constructor, Object);
                assert.strictEqual((at(cm.props.values, "podLabels") as Record<string, unknown>)["azure.workload.identity/use"], "true");
                assert.strictEqual((at(cm.props.values, "serviceAccount.labels") as Record<string, unknown>)["azure.workload.identity/use"], "true");
            });

            it("installs cert-manager after its identity is federated and allowed on the zone", () => {
                const cm = release(resources, "cert-manager");
                const fic = one(resources, "azure-native:managedidentity:FederatedIdentityCredential");
                const role = dnsRoleAssignment(resources);
                assert.ok(role && cm.dependencies.includes(fic.urn) && cm.dependencies.includes(role.urn));
            });

            it("checks DNS-01 propagation through the configured recursive resolvers only", () => {
                const values = release(resources, "cert-manager").props.values;
                assert.match(String(at(values, "dns01RecursiveNameservers")), /^(\d+\.\d+\.\d+\.\d+:\d+,?)+$/);
                assert.strictEqual(at(values, "dns01RecursiveNameserversOnly"), true);
            });

            it("sets requests and limits for every cert-manager component and turns metrics on", () => {
                const values = release(resources, "cert-manager").props.values;
                for (const prefix of ["", "webhook.", "cainjector.", "startupapicheck."]) {
                    for (const kind of ["requests", "limits"]) {
                        assert.ok(at(values, `${prefix}resources.${kind}.memory`), `${prefix}resources.${kind}.memory`);
                        assert.ok(at(values, `${prefix}resources.${kind}.cpu`), `${prefix}resources.${kind}.cpu`);
                    }
                }
                assert.strictEqual(at(values, "prometheus.enabled"), true);
            });

            it("creates both Let's Encrypt ClusterIssuers with an Azure DNS-01 solver on the managed identity", () => {
                const identity = one(resources, "azure-native:managedidentity:UserAssignedIdentity", "cert-manager-identity");
                const zone = one(resources, "azure-native:dns:Zone");
                const issuers = ofType(resources, CLUSTER_ISSUER).filter((r) => at(r.props, "spec.acme"));
                assert.deepStrictEqual(issuers.map((r) => at(r.props, "metadata.name")).sort(), ["letsencrypt-production", "letsencrypt-staging"]);
                for (const r of issuers) {
                    const name = String(at(r.props, "metadata.name"));
                    const server = String(at(r.props, "spec.acme.server"));
                    assert.ok(name.endsWith("staging") === server.includes("acme-staging-v02"), `${name} -> ${server}`);
                    assert.match(server, /^https:\/\/acme-(staging-)?v02\.api\.letsencrypt\.org\/directory$/);
                    assert.ok(at(r.props, "spec.acme.privateKeySecretRef.name"));
                    const solvers = at(r.props, "spec.acme.solvers") as Record<string, unknown>[];
                    const azure = at(solvers[0], "dns01.azureDNS") as Record<string, unknown>;
                    assert.strictEqual(azure.hostedZoneName, zone.props.zoneName);
                    assert.strictEqual(azure.environment, "AzurePublicCloud");
                    assert.match(String(azure.subscriptionID), /^[0-9a-f-]{36}$/);
                    assert.ok(azure.resourceGroupName);
                    assert.ok(at(azure, "managedIdentity.clientID"));
                    assert.strictEqual(azure.clientSecretSecretRef, undefined);
                    assert.ok(r.propertyDependencies.spec.includes(identity.urn), "clientID must come from the identity's output");
                    assert.strictEqual(solvers.some((s) => s.http01 !== undefined), false, "no HTTP-01 solver (F5 NGINX cannot serve it next to an app's Ingress)");
                }
            });

            it("orders every ClusterIssuer and Certificate after the cert-manager release (CRDs first)", () => {
                const cm = release(resources, "cert-manager");
                const crs = [...ofType(resources, CLUSTER_ISSUER), ...ofType(resources, CERTIFICATE)];
                assert.ok(crs.length >= 5);
                for (const r of crs) assert.ok(dependsOn(resources, r, cm.urn), `${r.name} does not wait for cert-manager`);
            });

            it("bootstraps the internal CA: self-signed issuer -> CA certificate -> CA ClusterIssuer", () => {
                const selfSigned = ofType(resources, CLUSTER_ISSUER).find((r) => at(r.props, "spec.selfSigned") !== undefined);
                const caCert = ofType(resources, CERTIFICATE).find((r) => at(r.props, "spec.isCA") === true);
                const caIssuer = ofType(resources, CLUSTER_ISSUER).find((r) => at(r.props, "metadata.name") === internalCa.caIssuerName);
                assert.ok(selfSigned && caCert && caIssuer);
                assert.strictEqual(at(caCert.props, "spec.issuerRef.name"), at(selfSigned.props, "metadata.name"));
                assert.strictEqual(at(caCert.props, "metadata.namespace"), certManager.namespace);
                assert.strictEqual(at(caIssuer.props, "spec.ca.secretName"), at(caCert.props, "spec.secretName"));
                assert.ok(caCert.dependencies.includes(selfSigned.urn) && caIssuer.dependencies.includes(caCert.urn));
            });

            it("issues one wildcard ECDSA certificate for the zone and its apex from the stack's issuer", () => {
                const zone = String(one(resources, "azure-native:dns:Zone").props.zoneName);
                const wildcard = ofType(resources, CERTIFICATE).filter((r) => (at(r.props, "spec.dnsNames") as string[] | undefined)?.some((n) => n.startsWith("*.")));
                assert.strictEqual(wildcard.length, 1);
                const spec = wildcard[0].props.spec as Record<string, unknown>;
                assert.deepStrictEqual(spec.dnsNames, [`*.${zone}`, zone]);
                assert.strictEqual(at(wildcard[0].props, "metadata.namespace"), nginxIngress.namespace);
                assert.strictEqual(at(spec, "privateKey.algorithm"), "ECDSA");
                assert.strictEqual(at(spec, "privateKey.rotationPolicy"), "Always");
                assert.strictEqual(at(spec, "issuerRef.kind"), "ClusterIssuer");
                assert.strictEqual(at(spec, "issuerRef.name"), stack === "prod" ? "letsencrypt-production" : "letsencrypt-staging");
            });

            it("serves the wildcard certificate by default and puts the controller on the static IP", () => {
                const nginx = release(resources, "nginx-ingress");
                const values = nginx.props.values;
                const cert = ofType(resources, CERTIFICATE).find((r) => ((at(r.props, "spec.dnsNames") as string[] | undefined) ?? []).some((n) => n.startsWith("*.")));
                assert.ok(cert);
                assert.strictEqual(at(values, "controller.defaultTLS.secret"), `${nginxIngress.namespace}/${String(at(cert.props, "spec.secretName"))}`);
                const ip = one(resources, "azure-native:network:PublicIPAddress");
                const group = one(resources, "azure-native:resources:ResourceGroup", "ingress-ip-group");
                const annotations = at(values, "controller.service.annotations") as Record<string, string>;
                assert.strictEqual(annotations["service.beta.kubernetes.io/azure-pip-name"], ip.props.publicIpAddressName);
                assert.strictEqual(annotations["service.beta.kubernetes.io/azure-load-balancer-resource-group"], group.props.resourceGroupName);
                assert.strictEqual(at(values, "controller.service.type"), "LoadBalancer");
                assert.strictEqual(at(values, "controller.service.externalTrafficPolicy"), "Local");
                assert.strictEqual(at(values, "controller.ingressClass.name"), "nginx");
                assert.ok(nginx.dependencies.includes(cert.urn), "controller waits for its default certificate");
            });

            it("hardens TLS on the controller: TLS 1.2+, HSTS, redirect, no server tokens, no snippets", () => {
                const values = release(resources, "nginx-ingress").props.values;
                const entries = at(values, "controller.config.entries") as Record<string, string>;
                assert.strictEqual(entries["ssl-protocols"], "TLSv1.2 TLSv1.3");
                assert.strictEqual(entries.hsts, "true");
                assert.strictEqual(entries["ssl-redirect"], "true");
                assert.strictEqual(entries["server-tokens"], "false");
                assert.strictEqual(at(values, "controller.enableSnippets"), false);
                assert.strictEqual(at(values, "prometheus.create"), true);
            });

            it("runs cert-manager and the ingress controller at the platform's PriorityClass, created before both", () => {
                const pc = one(resources, "kubernetes:scheduling.k8s.io/v1:PriorityClass");
                assert.strictEqual(at(pc.props, "metadata.name"), platformPriorityClass.name);
                assert.ok(Number(pc.props.value) > 0 && Number(pc.props.value) <= 1_000_000_000, "a user-definable priority above every app");
                assert.strictEqual(pc.props.globalDefault, false);
                for (const chart of ["cert-manager", "nginx-ingress"]) assert.ok(release(resources, chart).dependencies.includes(pc.urn), chart);
            });

            it("labels every managed namespace with Pod Security (enforced, audited and warned) and the platform's role label, and says why", () => {
                const namespaces = ofType(resources, "kubernetes:core/v1:Namespace");
                const roles = new Map(namespaces.map((ns) => [String(at(ns.props, "metadata.name")), (at(ns.props, "metadata.labels") as Record<string, string>)["aks-platform/role"]]));
                assert.strictEqual(roles.get(certManager.namespace), "cert-manager");
                assert.strictEqual(roles.get(nginxIngress.namespace), "ingress");
                for (const ns of namespaces) {
                    const name = String(at(ns.props, "metadata.name"));
                    const labels = at(ns.props, "metadata.labels") as Record<string, string>;
                    for (const mode of ["enforce", "audit", "warn"]) assert.strictEqual(labels[`pod-security.kubernetes.io/${mode}`], "restricted", `${name} ${mode}`);
                    assert.strictEqual(labels["pod-security.kubernetes.io/enforce-version"], "latest", name);
                    assert.strictEqual(labels["aks-platform/managed"], "true", name);
                    assert.ok(labels["aks-platform/role"], name);
                    assert.match(String(at(ns.props, "metadata.annotations.aks-platform/pod-security-reason")), /restricted|non-root/, `${name} says why its pods pass restricted`);
                }
            });
        });
    }

    it("runs cert-manager and the ingress controller highly available in prod: replicas, PDBs, zone spread", async () => {
        const resources = (await stackRun("prod")).resources;
        const cm = release(resources, "cert-manager").props.values;
        for (const prefix of ["", "webhook.", "cainjector."]) {
            assert.ok(Number(at(cm, `${prefix}replicaCount`)) >= 2, `${prefix}replicaCount`);
            assert.strictEqual(at(cm, `${prefix}podDisruptionBudget.enabled`), true);
            const spread = at(cm, `${prefix}topologySpreadConstraints`) as Record<string, unknown>[];
            assert.strictEqual(spread[0].topologyKey, "topology.kubernetes.io/zone");
            assert.strictEqual(spread[0].whenUnsatisfiable, "DoNotSchedule");
        }
        const nginx = release(resources, "nginx-ingress").props.values;
        assert.ok(Number(at(nginx, "controller.replicaCount")) >= 2);
        assert.strictEqual(at(nginx, "controller.podDisruptionBudget.enabled"), true);
    });

    it("waits for the wildcard certificate to be Ready before the controller (it exits without its default TLS secret)", async () => {
        const resources = (await stackRun("dev")).resources;
        const cert = ofType(resources, CERTIFICATE).find((r) => ((at(r.props, "spec.dnsNames") as string[] | undefined) ?? []).some((n) => n.startsWith("*.")));
        assert.ok(cert);
        const annotations = at(cert.props, "metadata.annotations") as Record<string, string>;
        assert.strictEqual(annotations["pulumi.com/waitFor"], "condition=Ready");
        assert.ok(Number(annotations["pulumi.com/timeoutSeconds"]) >= 600);
        // DNS-01 can only succeed once the zone is delegated and cert-manager may write to it.
        const delegation = ofType(resources, "azure-native:dns:RecordSet").find((r) => r.props.recordType === "NS");
        const role = dnsRoleAssignment(resources);
        assert.ok(delegation && role);
        assert.ok(cert.dependencies.includes(delegation.urn) && cert.dependencies.includes(role.urn));
    });

    it("keeps single replicas without a PDB in dev (a PDB on one replica blocks node drains)", async () => {
        const cm = release((await stackRun("dev")).resources, "cert-manager").props.values;
        assert.strictEqual(at(cm, "replicaCount"), 1);
        assert.strictEqual(at(cm, "podDisruptionBudget.enabled"), false);
    });

    it("deploys the demo app in dev: hardened Deployment, ClusterIP Service, TLS Ingress via the ClusterIssuer annotation", async () => {
        const resources = (await stackRun("dev")).resources;
        const deployment = ofType(resources, "kubernetes:apps/v1:Deployment").find((r) => at(r.props, "metadata.namespace") === "demo");
        assert.ok(deployment);
        const pod = at(deployment.props, "spec.template.spec") as Record<string, unknown>;
        const container = (pod.containers as Record<string, unknown>[])[0];
        assert.strictEqual(at(pod, "securityContext.runAsNonRoot"), true);
        assert.strictEqual(at(container, "securityContext.readOnlyRootFilesystem"), true);
        assert.strictEqual(at(container, "securityContext.allowPrivilegeEscalation"), false);
        assert.deepStrictEqual(at(container, "securityContext.capabilities.drop"), ["ALL"]);
        assert.ok(container.readinessProbe && container.livenessProbe);
        assert.ok(at(container, "resources.requests.cpu") && at(container, "resources.limits.memory"));
        const service = ofType(resources, "kubernetes:core/v1:Service").find((r) => at(r.props, "metadata.namespace") === "demo");
        assert.strictEqual(at(service?.props, "spec.type"), "ClusterIP");
        const ingress = ofType(resources, "kubernetes:networking.k8s.io/v1:Ingress").find((r) => at(r.props, "metadata.namespace") === "demo");
        assert.ok(ingress);
        const zone = String(one(resources, "azure-native:dns:Zone").props.zoneName);
        assert.strictEqual(at(ingress.props, "spec.ingressClassName"), "nginx");
        // Served by the wildcard certificate: a TLS host without a secret, and no certificate of its own.
        assert.deepStrictEqual(at(ingress.props, "spec.tls"), [{ hosts: [`app.${zone}`] }]);
        assert.strictEqual(at(ingress.props, "metadata.annotations"), undefined);
        assert.ok(!ofType(resources, CERTIFICATE).some((r) => at(r.props, "metadata.namespace") === "demo"));
    });

    it("gives an app in a CNAME-delegated domain its own certificate through the stack's ClusterIssuer (DNS-01, cnameStrategy Follow)", async () => {
        const run = await runProgram("dev", { configOverrides: {
            "aks-platform:dns01CnameZones": JSON.stringify(["example.org"]),
            "aks-platform:apps": JSON.stringify([{ name: "partner", image: "r.example.com/p:1.0.0", port: 8080, host: "www.example.org" }]),
        } });
        const ingress = ofType(run.resources, "kubernetes:networking.k8s.io/v1:Ingress").find((r) => at(r.props, "metadata.namespace") === "partner");
        assert.ok(ingress);
        assert.deepStrictEqual(at(ingress.props, "spec.tls"), [{ hosts: ["www.example.org"], secretName: "partner-tls" }]);
        assert.deepStrictEqual(at(ingress.props, "metadata.annotations"), { "cert-manager.io/cluster-issuer": "letsencrypt-staging" });
        for (const issuer of ofType(run.resources, CLUSTER_ISSUER).filter((r) => at(r.props, "spec.acme"))) {
            const solvers = at(issuer.props, "spec.acme.solvers") as Record<string, unknown>[];
            const follow = solvers.find((x) => at(x, "dns01.cnameStrategy") === "Follow");
            assert.deepStrictEqual(at(follow, "selector.dnsZones"), ["example.org"], String(at(issuer.props, "metadata.name")));
            assert.strictEqual(at(follow, "dns01.azureDNS.hostedZoneName"), at(solvers[0], "dns01.azureDNS.hostedZoneName"), "the TXT record lands in the platform's zone");
        }
        const deployment = ofType(run.resources, "kubernetes:apps/v1:Deployment").find((r) => at(r.props, "metadata.namespace") === "partner");
        const issuers = ofType(run.resources, CLUSTER_ISSUER).filter((r) => at(r.props, "spec.acme"));
        assert.ok(deployment && issuers.every((i) => deployment.dependencies.includes(i.urn)), "a dedicated certificate's app waits for the issuers");
    });

    it("adds an application from config alone (prod's storefront) with its own namespace and host", async () => {
        const resources = (await stackRun("prod")).resources;
        const zone = String(one(resources, "azure-native:dns:Zone").props.zoneName);
        assert.ok(ofType(resources, "kubernetes:core/v1:Namespace").some((r) => at(r.props, "metadata.name") === "storefront"));
        const ingress = ofType(resources, "kubernetes:networking.k8s.io/v1:Ingress").find((r) => at(r.props, "metadata.namespace") === "storefront");
        assert.deepStrictEqual((at(ingress?.props, "spec.rules") as { host: string }[]).map((r) => r.host), [`shop.${zone}`]);
        assert.ok(!ofType(resources, "kubernetes:core/v1:Namespace").some((r) => at(r.props, "metadata.name") === "demo"));
    });
});
