/** The Helm values builders are pure: config in, plain values out, tested without Pulumi. */
import * as assert from "assert";
import { certManagerValues } from "../../components/kubernetes/cert-manager";
import { ingressControllerValues, nginxConfigEntries } from "../../components/kubernetes/ingress-controller";
import { at } from "../support/runs";
import { stackPlatformConfig } from "../../plan/stack-config";
import { stackConfig } from "../networking/support";
import { certManager, nginxIngress } from "../../components/facts";

describe("Helm values (pure builders)", () => {
    describe("certManagerValues", () => {
        it("annotates the controller's service account with exactly the given client id", () => {
            const v = certManagerValues(stackPlatformConfig("dev"), "11111111-2222-4333-8444-555555555555");
            assert.deepStrictEqual(at(v, "serviceAccount.annotations"), { "azure.workload.identity/client-id": "11111111-2222-4333-8444-555555555555" });
            assert.strictEqual(at(v, "serviceAccount.name"), certManager.controllerServiceAccount);
        });

        it("labels only the controller's pods for workload identity (webhook and cainjector need no Azure token)", () => {
            const v = certManagerValues(stackPlatformConfig("dev"), "id");
            assert.deepStrictEqual(at(v, "podLabels"), { "azure.workload.identity/use": "true" });
            assert.strictEqual(at(v, "webhook.podLabels"), undefined);
            assert.strictEqual(at(v, "cainjector.podLabels"), undefined);
        });

        it("passes the configured resolvers, in order, as the only DNS-01 nameservers", () => {
            const v = certManagerValues(stackConfig("dev", { recursiveNameservers: ["9.9.9.9:53", "149.112.112.112:53"] }), "id");
            assert.strictEqual(at(v, "dns01RecursiveNameservers"), "9.9.9.9:53,149.112.112.112:53");
            assert.strictEqual(at(v, "dns01RecursiveNameserversOnly"), true);
        });

        it("enables PodDisruptionBudgets only with two or more replicas, for every component", () => {
            for (const [replicas, enabled] of [[1, false], [2, true], [3, true]] as const) {
                const v = certManagerValues(stackConfig("staging", { certManagerReplicas: replicas }), "id");
                for (const prefix of ["", "webhook.", "cainjector."]) {
                    assert.strictEqual(at(v, `${prefix}replicaCount`), replicas);
                    assert.strictEqual(at(v, `${prefix}podDisruptionBudget.enabled`), enabled, `${prefix}${replicas}`);
                }
            }
        });

        it("spreads each component by its own chart labels", () => {
            const v = certManagerValues(stackPlatformConfig("prod"), "id");
            const webhook = (at(v, "webhook.topologySpreadConstraints") as { labelSelector: { matchLabels: Record<string, string> } }[])[0];
            assert.deepStrictEqual(webhook.labelSelector.matchLabels, { ...certManager.podLabels.webhook, "app.kubernetes.io/instance": certManager.releaseName });
        });

        it("turns the ServiceMonitor on with monitoring only", () => {
            assert.strictEqual(at(certManagerValues(stackConfig("dev", { monitoringEnabled: true }), "id"), "prometheus.servicemonitor.enabled"), true);
            assert.strictEqual(at(certManagerValues(stackConfig("dev", { monitoringEnabled: false }), "id"), "prometheus.servicemonitor.enabled"), false);
        });
    });

    describe("ingressControllerValues", () => {
        const ip = { name: "platform-dev-ingress-ip", resourceGroupName: "platform-dev-rg" };

        it("puts the Service on the named static IP in its resource group", () => {
            const v = ingressControllerValues(stackPlatformConfig("dev"), ip);
            const annotations = at(v, "controller.service.annotations") as Record<string, string>;
            assert.strictEqual(annotations["service.beta.kubernetes.io/azure-pip-name"], ip.name);
            assert.strictEqual(annotations["service.beta.kubernetes.io/azure-load-balancer-resource-group"], ip.resourceGroupName);
        });

        it("serves the wildcard secret by default and for TLS hosts without a secret", () => {
            const v = ingressControllerValues(stackPlatformConfig("dev"), ip);
            const secret = `${nginxIngress.namespace}/${nginxIngress.wildcardSecretName}`;
            assert.strictEqual(at(v, "controller.defaultTLS.secret"), secret);
            assert.strictEqual(at(v, "controller.wildcardTLS.secret"), secret);
        });

        it("uses the standard Ingress API only, with snippets off", () => {
            const v = ingressControllerValues(stackPlatformConfig("dev"), ip);
            assert.strictEqual(at(v, "controller.enableCustomResources"), false);
            assert.strictEqual(at(v, "controller.enableSnippets"), false);
            assert.strictEqual(at(v, "controller.ingressClass.name"), nginxIngress.ingressClassName);
            assert.strictEqual(at(v, "controller.ingressClass.setAsDefaultIngress"), false);
        });

        it("follows the replica count, with a PDB from two replicas", () => {
            assert.strictEqual(at(ingressControllerValues(stackConfig("staging", { ingressReplicas: 1 }), ip), "controller.podDisruptionBudget.enabled"), false);
            const v = ingressControllerValues(stackConfig("staging", { ingressReplicas: 4 }), ip);
            assert.strictEqual(at(v, "controller.replicaCount"), 4);
            assert.strictEqual(at(v, "controller.podDisruptionBudget.enabled"), true);
        });

        it("never allows TLS below 1.2 and turns HSTS on", () => {
            const entries = nginxConfigEntries();
            assert.ok(!/TLSv1(\.[01])?( |$)/.test(entries["ssl-protocols"]), entries["ssl-protocols"]);
            assert.ok(Number(entries["hsts-max-age"]) >= 15552000, "HSTS for at least 180 days");
            assert.strictEqual(entries.hsts, "true");
        });
    });
});
