/**
 * The policy pack: `pulumi preview --policy-pack policy-pack`. Only this file constructs the
 * PolicyPack (it starts the gRPC server the engine talks to), so tests import the rules instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./rules";

new PolicyPack("aks-platform", {
    description: "Default deny, ClusterIssuer usage and the AKS platform's safety rules, checked at preview time.",
    displayName: "AKS platform policies",
    provider: "azure",
    tags: ["kubernetes", "aks", "networkpolicy", "cert-manager"],
    enforcementLevel: "mandatory",
    policies: [...policies],
});
